package dev.zkdigest.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** What a quantity counts, how its limits are written in a budget file and how values print. */
public enum Unit {
  /** Requests, errors, findings: whole numbers without a unit. */
  COUNT("count"),
  /** Response time in microseconds; written {@code 250us}, {@code 20ms}, {@code 1.5s}. */
  MICROS("us"),
  /**
   * Bytes; written {@code 512}, {@code 512B}, {@code 64KiB}, {@code 10MiB}, {@code 1GiB}, {@code
   * 5MB}.
   */
  BYTES("bytes");

  private static final long KIB = 1024;
  private static final long US_PER_MS = 1_000;
  private static final long US_PER_S = 1_000_000;

  private final String jsonName;

  Unit(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The unit's name in JSON ({@code count}, {@code us}, {@code bytes}). */
  public String jsonName() {
    return jsonName;
  }

  /**
   * A limit as written in a budget file, in this unit's base (count, microseconds, bytes).
   *
   * @throws IllegalArgumentException with the one-line reason
   */
  public long parse(String text) {
    int split = 0;
    while (split < text.length()
        && (Character.isDigit(text.charAt(split)) || text.charAt(split) == '.')) {
      split++;
    }
    String number = text.substring(0, split);
    String suffix = text.substring(split);
    if (number.isEmpty() || number.startsWith(".") || number.endsWith(".")) {
      throw new IllegalArgumentException("expected a number, got '" + text + "'");
    }
    BigDecimal n;
    try {
      n = new BigDecimal(number);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a number, got '" + text + "'");
    }
    long scale =
        switch (this) {
          case COUNT -> {
            if (!suffix.isEmpty() || number.contains(".")) {
              throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
            }
            yield 1;
          }
          case MICROS ->
              switch (suffix) {
                case "us" -> 1;
                case "ms" -> US_PER_MS;
                case "s" -> US_PER_S;
                case "" ->
                    throw new IllegalArgumentException(
                        "a response time needs a unit: us, ms or s, got '" + text + "'");
                default ->
                    throw new IllegalArgumentException(
                        "unknown unit '" + suffix + "' in '" + text + "': us, ms or s");
              };
          case BYTES ->
              switch (suffix) {
                case "", "B" -> 1;
                case "KiB" -> KIB;
                case "MiB" -> KIB * KIB;
                case "GiB" -> KIB * KIB * KIB;
                case "kB", "KB" -> 1_000;
                case "MB" -> 1_000_000;
                case "GB" -> 1_000_000_000;
                default ->
                    throw new IllegalArgumentException(
                        "unknown unit '"
                            + suffix
                            + "' in '"
                            + text
                            + "': B, KiB, MiB, GiB (or kB, MB, GB)");
              };
        };
    try {
      return n.multiply(BigDecimal.valueOf(scale))
          .setScale(0, RoundingMode.HALF_UP)
          .longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
  }

  /** A value in this unit's base, for people: exact counts, times and sizes with their unit. */
  public String format(long value) {
    return switch (this) {
      case COUNT -> Long.toString(value);
      case MICROS -> {
        if (value >= US_PER_S) {
          yield decimal(value, US_PER_S) + "s";
        }
        if (value >= US_PER_MS) {
          yield decimal(value, US_PER_MS) + "ms";
        }
        yield value + "us";
      }
      case BYTES -> {
        if (value >= KIB * KIB * KIB) {
          yield decimal(value, KIB * KIB * KIB) + "GiB";
        }
        if (value >= KIB * KIB) {
          yield decimal(value, KIB * KIB) + "MiB";
        }
        if (value >= KIB) {
          yield decimal(value, KIB) + "KiB";
        }
        yield value + "B";
      }
    };
  }

  /** {@code value / per} with up to three decimals, trailing zeros dropped. */
  private static String decimal(long value, long per) {
    return BigDecimal.valueOf(value)
        .divide(BigDecimal.valueOf(per), 3, RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString()
        .toLowerCase(Locale.ROOT);
  }
}
