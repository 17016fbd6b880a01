package dev.zkdigest.budget;

import java.util.List;

/** Every rule of a budget with its verdict, in the file's order. */
public record BudgetResult(Budget budget, List<RuleResult> results) {
  public BudgetResult {
    results = List.copyOf(results);
  }

  /** Whether every rule holds (a rule that cannot be decided does not). */
  public boolean passed() {
    return failed().isEmpty();
  }

  /** The rules broken or undecided. */
  public List<RuleResult> failed() {
    return results.stream().filter(r -> r.verdict() != Verdict.OK).toList();
  }
}
