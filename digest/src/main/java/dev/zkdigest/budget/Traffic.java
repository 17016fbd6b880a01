package dev.zkdigest.budget;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.findings.Findings;
import java.util.List;

/**
 * A snapshot with its findings, which are detected once and only when first asked for (budgets
 * without {@code finding} rules never run the detectors). Thread-safe.
 */
public final class Traffic {
  private final DigestSnapshot snapshot;
  private List<Finding> findings;

  private Traffic(DigestSnapshot snapshot) {
    this.snapshot = snapshot;
  }

  public static Traffic of(DigestSnapshot snapshot) {
    return new Traffic(snapshot);
  }

  public DigestSnapshot snapshot() {
    return snapshot;
  }

  public synchronized List<Finding> findings() {
    if (findings == null) {
      findings = Findings.detect(snapshot);
    }
    return findings;
  }
}
