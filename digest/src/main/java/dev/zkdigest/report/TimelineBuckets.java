package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Timeline;
import java.util.ArrayList;
import java.util.List;

/**
 * The snapshot's {@link Timeline} as the chart's buckets: the one place that knows how the digest
 * keeps its timeline. A timeline of more buckets than a chart can show side by side ({@code
 * --bucket 1s} over an hour) is drawn in wider buckets, a whole number of the recorded ones.
 */
final class TimelineBuckets {
  /** Bars on one chart at most: about four pixels each. */
  static final int MAX_BARS = 240;

  private TimelineBuckets() {}

  /** The timeline the charts draw, coarsened to at most {@link #MAX_BARS} buckets. */
  static Timeline chartable(DigestSnapshot s) {
    Timeline t = s.timeline();
    int n = t.buckets().size();
    if (n <= MAX_BARS) {
      return t;
    }
    long factor = (n + MAX_BARS - 1) / MAX_BARS;
    return t.coarsened(t.widthNanos() * factor, s.limits().timeline().classes());
  }

  /** Every request of each bucket. */
  static List<TimelineSvg.Bucket> overall(Timeline t) {
    List<TimelineSvg.Bucket> out = new ArrayList<>();
    for (Timeline.Bucket b : t.buckets()) {
      out.add(
          new TimelineSvg.Bucket(
              b.startNanos(),
              b.requests(),
              b.errors(),
              b.latency().count() > 0 ? b.latency().percentile(99) : 0));
    }
    return out;
  }

  /** One class's requests in each bucket: none where the bucket did not keep it. */
  static List<TimelineSvg.Bucket> ofClass(Timeline t, ClassKey cls) {
    List<TimelineSvg.Bucket> out = new ArrayList<>();
    for (Timeline.Bucket b : t.buckets()) {
      Timeline.Point p = b.classes().get(cls);
      out.add(
          p == null
              ? new TimelineSvg.Bucket(b.startNanos(), 0, 0, 0)
              : new TimelineSvg.Bucket(
                  b.startNanos(),
                  p.requests(),
                  p.errors(),
                  p.latency().count() > 0 ? p.latency().percentile(99) : 0));
    }
    return out;
  }

  /** Whether some bucket kept {@code cls} apart from its op's {@code {other}}. */
  static boolean kept(Timeline t, ClassKey cls) {
    for (Timeline.Bucket b : t.buckets()) {
      if (b.classes().containsKey(cls)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether some bucket may count requests of {@code cls} under its op's {@code {other}}: it holds
   * that {@code {other}} but not the class (a bucket keeps a bounded number of classes).
   */
  static boolean partly(Timeline t, ClassKey cls) {
    ClassKey other = ClassKey.other(cls.op());
    for (Timeline.Bucket b : t.buckets()) {
      if (b.classes().containsKey(other) && !b.classes().containsKey(cls)) {
        return true;
      }
    }
    return false;
  }
}
