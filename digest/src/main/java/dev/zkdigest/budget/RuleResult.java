package dev.zkdigest.budget;

/** A rule, what it measured and its verdict. */
public record RuleResult(Rule rule, Measured measured, Verdict verdict) {

  /** The measured value for people: {@code 57}, {@code 23.5ms}, or {@code 10 to 1240 (why)}. */
  public String measuredText() {
    Unit u = rule.quantity().unit();
    if (measured.exact()) {
      return u.format(measured.low());
    }
    return u.format(measured.low()) + " to " + u.format(measured.high());
  }
}
