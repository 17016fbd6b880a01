package dev.zkdigest.budget;

/**
 * One line of a budget: a quantity, a comparison and a limit in the quantity's unit.
 *
 * @param line the line number in its file, from 1
 * @param text the line as written, comment and surrounding blanks removed
 */
public record Rule(int line, String text, Quantity quantity, Comparison comparison, long limit) {

  public RuleResult evaluate(Traffic traffic) {
    Measured m = quantity.measure(traffic);
    return new RuleResult(this, m, comparison.judge(m, limit));
  }

  /** The rule in canonical form, e.g. {@code p99 getData <= 20ms}. */
  public String describe() {
    return quantity.describe() + " " + comparison.symbol() + " " + quantity.unit().format(limit);
  }
}
