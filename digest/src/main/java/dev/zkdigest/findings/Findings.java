package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every detector over a snapshot: what the text report, the JSON report, budgets and the JUnit
 * extension call to get the findings of some traffic.
 */
public final class Findings {
  /** Looks for one kind of problem in a snapshot. */
  public interface Detector {
    List<Finding> detect(DigestSnapshot snapshot);
  }

  /** The detectors, in the order their findings are listed. */
  private static final List<Detector> DETECTORS = List.of();

  private Findings() {}

  /** Every finding in {@code snapshot}, most severe first within each detector's order. */
  public static List<Finding> detect(DigestSnapshot snapshot) {
    List<Finding> all = new ArrayList<>();
    for (Detector d : DETECTORS) {
      all.addAll(d.detect(snapshot));
    }
    return List.copyOf(all);
  }
}
