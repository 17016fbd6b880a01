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

  /** As {@link Instant#toString}: ISO-8601 in UTC, the fraction in groups of three digits. */
  public static String instant(long epochNanos) {
    long second = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
    int nanos = (int) Math.floorMod(epochNanos, NANOS_PER_SECOND);
    Second last = lastSecond;
    if (last == null || last.epochSecond != second) {
      // A report writes many instants of the same few seconds (a timestamp per class): the date and
      // time are formatted once per second, the fraction by hand.
      String whole = Instant.ofEpochSecond(second).toString();
      last = new Second(second, whole.substring(0, whole.length() - 1));
      lastSecond = last;
    }
    StringBuilder b = new StringBuilder(last.text.length() + FRACTION_CHARS);
    b.append(last.text);
    if (nanos != 0) {
      int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
      String frac = Integer.toString(nanos + NANOS_PER_SECOND);
      b.append('.').append(frac, 1, 1 + digits);
    }
    return b.append('Z').toString();
  }

  private static final int NANOS_PER_SECOND = 1_000_000_000;

  /** A dot, nine digits and the zone. */
  private static final int FRACTION_CHARS = 11;

  /** One second's date and time without its zone, as {@link Instant#toString} writes them. */
  private record Second(long epochSecond, String text) {}

  /** The last second formatted: immutable, so threads may race to replace it. */
  private static volatile Second lastSecond;

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
