package dev.zkdigest.budget;

/**
 * Asked for one value where the digest can only give a range: a glob over raw paths when some of
 * the op's paths went past the cap and were counted under {@code {other}}. Never an undercount.
 */
public final class InexactMeasurementException extends IllegalStateException {
  private final transient Measured measured;

  public InexactMeasurementException(Measured measured) {
    super(
        "cannot be exact: between "
            + measured.low()
            + " and "
            + measured.high()
            + ", because "
            + measured.inexactBecause());
    this.measured = measured;
  }

  public InexactMeasurementException(String what, Measured measured) {
    super(
        what
            + " cannot be exact: between "
            + measured.low()
            + " and "
            + measured.high()
            + ", because "
            + measured.inexactBecause());
    this.measured = measured;
  }

  public Measured measured() {
    return measured;
  }
}
