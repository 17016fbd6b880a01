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
    return fixed(fraction * 100, 1) + "%";
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
      return fixed(v, 0);
    }
    if (v >= 10) {
      return fixed(v, 1);
    }
    return fixed(v, 2);
  }

  private static final double[] POWERS_OF_TEN = {1, 10, 100};

  /** Past this, a scaled value's rounding error could reach {@link #TIE_MARGIN}. */
  private static final double FAST_SCALED_LIMIT = 1e9;

  /**
   * How near a tie (x.5 after scaling) a value must not be for its rounding to be certain: the
   * Formatter rounds the shortest decimal form half up, which may sit on the other side of a tie
   * from the binary value, but never by more than an ulp (under 1e-7 here).
   */
  private static final double TIE_MARGIN = 1e-6;

  /**
   * {@code String.format(Locale.ROOT, "%.Nf", v)} for {@code decimals} 0 to 2, without a Formatter
   * where the rounding is unambiguous: the Formatter was half of rendering an HTML report of
   * 100,000 classes.
   */
  static String fixed(double v, int decimals) {
    double scaled = v * POWERS_OF_TEN[decimals];
    double floor = Math.floor(scaled);
    double frac = scaled - floor;
    if (Double.doubleToRawLongBits(v) < 0 // negative, or -0.0
        || !(scaled < FAST_SCALED_LIMIT)
        || Math.abs(frac - 0.5) < TIE_MARGIN) {
      return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
    long rounded = (long) floor + (frac > 0.5 ? 1 : 0);
    if (decimals == 0) {
      return Long.toString(rounded);
    }
    long unit = (long) POWERS_OF_TEN[decimals];
    StringBuilder b = new StringBuilder(24);
    b.append(rounded / unit).append('.');
    long rest = rounded % unit;
    for (long digit = unit / 10; digit > rest && digit > 1; digit /= 10) {
      b.append('0');
    }
    return b.append(rest).toString();
  }
}
