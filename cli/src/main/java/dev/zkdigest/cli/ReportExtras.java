package dev.zkdigest.cli;

import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.quorum.QuorumSnapshot;

/**
 * The report's optional sections beside the digest, each null when absent.
 *
 * @param quorum the quorum digest, for the modes that decode quorum traffic (replay, sniff)
 * @param budget a budget's verdicts, with {@code --budget}
 */
record ReportExtras(QuorumSnapshot quorum, BudgetResult budget) {
  static final ReportExtras NONE = new ReportExtras(null, null);
}
