package dev.zkdigest.cli;

import dev.zkdigest.report.DiffReport;
import dev.zkdigest.report.DigestDiff;
import dev.zkdigest.report.JsonReportReader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkdigest diff BEFORE.json AFTER.json}: what changed between two periods. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description =
        "Compare two JSON reports: classes new or gone, and those whose calls/s, error rate or"
            + " p99 changed past a threshold, ranked by impact (response time per second).")
final class DiffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "BEFORE", description = "The earlier JSON report.")
  Path before;

  @Parameters(index = "1", paramLabel = "AFTER", description = "The later JSON report.")
  Path after;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  OutputOptions.Format format;

  @Option(
      names = "--calls-change",
      defaultValue = "50",
      paramLabel = "PERCENT",
      description = "A change in calls/s this large counts (default: ${DEFAULT-VALUE}%%).")
  double callsChange;

  @Option(
      names = "--error-rate-change",
      defaultValue = "1",
      paramLabel = "POINTS",
      description =
          "A change in error rate of this many percentage points counts (default:"
              + " ${DEFAULT-VALUE}).")
  double errorRateChange;

  @Option(
      names = "--p99-change",
      defaultValue = "50",
      paramLabel = "PERCENT",
      description = "A change in p99 this large counts (default: ${DEFAULT-VALUE}%%).")
  double p99Change;

  @Option(
      names = "--min-calls",
      defaultValue = "10",
      paramLabel = "N",
      description =
          "Classes with fewer calls in both reports are left out (default: ${DEFAULT-VALUE}).")
  long minCalls;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the diff to FILE instead of standard output.")
  Path output;

  @Option(
      names = "--limit",
      defaultValue = "30",
      paramLabel = "N",
      description = "Rows listed in the text report (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() throws java.io.IOException {
    var err = spec.commandLine().getErr();
    if (format == OutputOptions.Format.html) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "diff writes text or json, not html");
    }
    JsonReportReader.Read b;
    JsonReportReader.Read a;
    try {
      b = ReportFiles.read(before);
      a = ReportFiles.read(after);
    } catch (ReportFiles.BadReport e) {
      err.println("zkdigest: " + e.getMessage());
      return 1;
    }
    DigestDiff d =
        DigestDiff.of(
            b.snapshot(),
            a.snapshot(),
            new DigestDiff.Thresholds(callsChange, errorRateChange, p99Change, minCalls));
    DiffReport.Sources src = new DiffReport.Sources(before.toString(), after.toString());
    ReportWriter.atomically(
        output,
        spec.commandLine().getOut(),
        out -> {
          if (format == OutputOptions.Format.json) {
            DiffReport.json(d, src, out);
          } else {
            DiffReport.text(d, src, limit, out);
          }
        });
    return 0;
  }
}
