package dev.zkdigest.budget;

/**
 * What a quantity measured: one value when exact, else the range it lies in and why it cannot be
 * told more closely (raw paths past the digest's cap are counted together under {@code {other}}).
 *
 * @param low the value, or its least possible value when inexact
 * @param high the value, or its greatest possible value when inexact
 * @param inexactBecause null when exact
 */
public record Measured(long low, long high, String inexactBecause) {

  public static Measured exactly(long value) {
    return new Measured(value, value, null);
  }

  public boolean exact() {
    return inexactBecause == null;
  }

  /** The value; only for an exact measurement. */
  public long value() {
    if (!exact()) {
      throw new InexactMeasurementException(this);
    }
    return low;
  }
}
