package dev.zkdigest.report;

import java.util.List;

/**
 * What a report covers and how it is laid out.
 *
 * @param mode replay, proxy or sniff
 * @param inputs capture files, interfaces or listening addresses
 * @param top how many profile rows get a detail block
 */
public record ReportOptions(String mode, List<String> inputs, int top, GroupBy groupBy) {
  /** The build's version (project version and git commit), as {@code --version} shows it. */
  public static final String VERSION = dev.zkdigest.protocol.BuildInfo.version();

  public ReportOptions {
    inputs = List.copyOf(inputs);
  }
}
