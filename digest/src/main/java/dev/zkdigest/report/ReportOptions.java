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
  public static final String VERSION = "0.1.0";

  public ReportOptions {
    inputs = List.copyOf(inputs);
  }
}
