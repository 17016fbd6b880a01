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
 * @param order how the text profile ranks rows ({@code --order-by})
 * @param limit profile rows shown at most, 0 for the default ({@code --limit})
 * @param slowUs replies at least this slow are counted per class, 0 for none ({@code --slow})
 */
public record ReportOptions(
    String mode,
    List<String> inputs,
    int top,
    GroupBy groupBy,
    Thresholds thresholds,
    Order order,
    int limit,
    long slowUs) {
  /** The build's version (project version and git commit), as {@code --version} shows it. */
  public static final String VERSION = dev.zkdigest.protocol.BuildInfo.version();

  public ReportOptions {
    inputs = List.copyOf(inputs);
    thresholds = thresholds == null ? Thresholds.DEFAULTS : thresholds;
    order = order == null ? Order.TIME : order;
  }

  /** With the default order, limit and no slow threshold. */
  public ReportOptions(
      String mode, List<String> inputs, int top, GroupBy groupBy, Thresholds thresholds) {
    this(mode, inputs, top, groupBy, thresholds, Order.TIME, 0, 0);
  }

  /** With the default thresholds. */
  public ReportOptions(String mode, List<String> inputs, int top, GroupBy groupBy) {
    this(mode, inputs, top, groupBy, Thresholds.DEFAULTS);
  }
}
