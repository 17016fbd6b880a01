package dev.zkdigest.cli;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetException;
import dev.zkdigest.budget.BudgetReport;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.digest.DigestSnapshot;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --budget FILE}: rules read and checked before any traffic is, evaluated on the final
 * total; a broken rule makes the command exit {@value #EXIT_BROKEN}.
 */
final class BudgetOption {
  /** The exit code when a budget rule is broken (or cannot be decided). */
  static final int EXIT_BROKEN = 3;

  @Option(
      names = "--budget",
      paramLabel = "FILE",
      description =
          "Rules the traffic must keep, one per line, e.g. 'calls getChildren /app/locks/* <= 5';"
              + " checked on the total at the end, exit 3 when one is broken.")
  Path file;

  /**
   * The budget, or null without {@code --budget}.
   *
   * @throws BudgetException when the file is missing or a line is wrong (one line, exit 2)
   */
  Budget load() {
    return file == null ? null : Budget.read(file);
  }

  /**
   * Prints the verdict where the text report did not already carry it (a JSON report, a report to a
   * file, or none) and returns the command's exit code.
   */
  static int verdict(BudgetResult result, OutputOptions output, PrintWriter err) {
    boolean inTextOnStdout =
        output.wantsReport() && output.format == OutputOptions.Format.text && output.output == null;
    if (!inTextOnStdout) {
      BudgetReport.text(result, err);
    }
    return result.passed() ? 0 : EXIT_BROKEN;
  }

  static BudgetResult evaluate(Budget budget, DigestSnapshot total) {
    return budget == null ? null : budget.evaluate(total);
  }
}
