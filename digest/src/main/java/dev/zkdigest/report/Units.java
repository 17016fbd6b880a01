package dev.zkdigest.report;

import java.time.Instant;
import java.util.Locale;

/** Compact human units in the style of pt-query-digest: 1.23k, 4.5ms, 12M. */
public final class Units {
  private Units() {}

  /** Microseconds as us, ms or s with three significant digits. */
  public static String micros(double us) {
    if (us < 1_000) {
      return fmt(us) + "us";
    }
    if (us < 1_000_000) {
      return fmt(us / 1_000) + "ms";
    }
    return fmt(us / 1_000_000) + "s";
  }

  /** Counts and byte sizes with k, M, G suffixes. */
  public static String count(double n) {
    if (n < 1_000) {
      return n == Math.rint(n) ? Long.toString((long) n) : fmt(n);
    }
    if (n < 1_000_000) {
      return fmt(n / 1_000) + "k";
    }
    if (n < 1_000_000_000) {
      return fmt(n / 1_000_000) + "M";
    }
    return fmt(n / 1_000_000_000) + "G";
  }

  public static String bytes(double n) {
    if (n < 1024) {
      return n == Math.rint(n) ? Long.toString((long) n) : fmt(n);
    }
    if (n < 1024 * 1024) {
      return fmt(n / 1024) + "k";
    }
    if (n < 1024.0 * 1024 * 1024) {
      return fmt(n / (1024 * 1024)) + "M";
    }
    return fmt(n / (1024.0 * 1024 * 1024)) + "G";
  }

  public static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
  }

  public static String instant(long epochNanos) {
    return Instant.ofEpochSecond(0, epochNanos).toString();
  }

  public static String session(long sessionId) {
    return sessionId == 0 ? "-" : "0x" + Long.toHexString(sessionId);
  }

  private static String fmt(double v) {
    if (v >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (v >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
