package dev.zkdigest.report;

import dev.zkdigest.digest.DigestSnapshot;
import java.util.List;

/**
 * The snapshot's timeline as the chart's buckets: the one place that knows how the digest keeps its
 * timeline. Snapshots without one give none.
 */
final class TimelineBuckets {
  private TimelineBuckets() {}

  static List<TimelineChart.Bucket> of(DigestSnapshot s) {
    return List.of();
  }

  /** The length of one bucket, in nanoseconds. */
  static long width(DigestSnapshot s) {
    return 1_000_000_000L;
  }
}
