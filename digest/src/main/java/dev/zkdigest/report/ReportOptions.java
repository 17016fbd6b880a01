package dev.zkdigest.report;

import dev.zkdigest.findings.Thresholds;
import java.util.List;

/**
 * What a report covers and how it is laid out.
 *
 * @param mode replay, proxy or sniff
 * @param inputs capture files, interfaces or listening addresses
 * @param top how many profile rows get a detail block
 * @param thresholds when patterns become findings ({@code --threshold})
 */
public record ReportOptions(
    String mode, List<String> inputs, int top, GroupBy groupBy, Thresholds thresholds) {
  /** The build's version (project version and git commit), as {@code --version} shows it. */
  public static final String VERSION = dev.zkdigest.protocol.BuildInfo.version();

  public ReportOptions {
    inputs = List.copyOf(inputs);
    thresholds = thresholds == null ? Thresholds.DEFAULTS : thresholds;
  }

  /** With the default thresholds. */
  public ReportOptions(String mode, List<String> inputs, int top, GroupBy groupBy) {
    this(mode, inputs, top, groupBy, Thresholds.DEFAULTS);
  }
}
