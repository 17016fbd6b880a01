package dev.zkdigest.findings;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Timeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code slow_period}: timeline buckets whose p99 rose far above the run's median bucket p99,
 * consecutive slow buckets making one period, with the classes whose p99 rose most then.
 */
final class SlowPeriodDetector implements Detector {
  /** A p99 this long (a second) stalls most clients' operations: critical whatever the median. */
  private static final long CRITICAL_US = 1_000_000;

  static final String REMEDY =
      "Check the ensemble at that time: the leader's fsync latency (slow disk, snapshots),"
          + " GC pauses in the servers, a burst of writes or of large requests from the classes"
          + " named; compare with the servers' logs and metrics for the same minutes.";

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    Timeline tl = s.timeline();
    List<Timeline.Bucket> judged = new ArrayList<>();
    for (Timeline.Bucket b : tl.buckets()) {
      if (b.responses() >= t.slowRequests()) {
        judged.add(b);
      }
    }
    if (judged.size() < 3) {
      return List.of();
    }
    long[] p99s = judged.stream().mapToLong(b -> b.latency().percentile(99)).sorted().toArray();
    long median = p99s[p99s.length / 2];
    long limit = Math.max(t.slowFloorUs(), Math.round(median * t.slowFactor()));
    List<Finding> out = new ArrayList<>();
    List<Timeline.Bucket> period = new ArrayList<>();
    for (int i = 0; i <= judged.size(); i++) {
      Timeline.Bucket b = i < judged.size() ? judged.get(i) : null;
      boolean slow = b != null && b.latency().percentile(99) >= limit;
      boolean adjacent =
          b != null
              && !period.isEmpty()
              && b.startNanos() - period.get(period.size() - 1).startNanos() == tl.widthNanos();
      if (!period.isEmpty() && (!slow || !adjacent)) {
        out.add(finding(period, median, tl.widthNanos()));
        period = new ArrayList<>();
      }
      if (slow) {
        period.add(b);
      }
    }
    return out;
  }

  private static Finding finding(List<Timeline.Bucket> period, long medianUs, long widthNanos) {
    long worst = 0;
    long requests = 0;
    for (Timeline.Bucket b : period) {
      worst = Math.max(worst, b.latency().percentile(99));
      requests += b.requests();
    }
    // the classes slowest then, by p99
    List<Map.Entry<ClassKey, Timeline.Point>> classes = new ArrayList<>();
    for (Timeline.Bucket b : period) {
      classes.addAll(b.classes().entrySet());
    }
    classes.sort(
        (a, b) ->
            Long.compare(
                b.getValue().latency().percentile(99), a.getValue().latency().percentile(99)));
    List<String> named = new ArrayList<>();
    for (Map.Entry<ClassKey, Timeline.Point> c : classes) {
      String n = c.getKey().toString();
      if (named.size() < 3 && !named.contains(n)) {
        named.add(n);
      }
    }
    long first = period.get(0).startNanos();
    long last = period.get(period.size() - 1).startNanos() + widthNanos;
    String summary =
        "p99 reached "
            + Detector.duration(worst / 1000.0)
            + " for "
            + Detector.duration((last - first) / 1e6)
            + " (the run's median p99 is "
            + Detector.duration(medianUs / 1000.0)
            + ")"
            + (named.isEmpty() ? "" : ", slowest then: " + String.join(", ", named));
    return new Finding(
        Finding.Kind.SLOW_PERIOD,
        worst >= CRITICAL_US ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
        summary,
        new Finding.Evidence(
            named.isEmpty() ? null : named.get(0),
            null,
            List.of(),
            List.of(),
            requests,
            first,
            last,
            null),
        REMEDY);
  }
}
