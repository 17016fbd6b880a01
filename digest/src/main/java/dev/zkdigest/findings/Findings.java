package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every detector over a snapshot: what the text report, the JSON report, budgets and the JUnit
 * extension call to get the findings of some traffic.
 */
public final class Findings {
  /** The detectors, in the order their findings are listed. */
  private static final List<Detector> DETECTORS =
      List.of(
          new HerdDetector(),
          new PollingDetector(),
          new HotZnodeDetector(),
          new LargePayloadDetector(),
          new SessionChurnDetector(),
          new ErrorStormDetector(),
          new SlowPeriodDetector());

  private Findings() {}

  /** Every finding in {@code snapshot} under the default thresholds. */
  public static List<Finding> detect(DigestSnapshot snapshot) {
    return detect(snapshot, Thresholds.DEFAULTS);
  }

  /**
   * Every finding in {@code snapshot}: the most severe first, then in the detectors' order (herd,
   * polling, hot_znode, large_payload, session_churn, error_storm, slow_period), then the largest
   * count first.
   */
  public static List<Finding> detect(DigestSnapshot snapshot, Thresholds thresholds) {
    List<Finding> all = new ArrayList<>();
    for (Detector d : DETECTORS) {
      all.addAll(d.detect(snapshot, thresholds));
    }
    // stable: within a severity, the detectors' order and each detector's own order stay
    all.sort(java.util.Comparator.comparing(Finding::severity).reversed());
    return List.copyOf(all);
  }
}
