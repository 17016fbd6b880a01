package dev.zkdigest.report;

import java.util.List;

/**
 * The HTML report's timeline: requests per interval as bars, the errors among them in front, and
 * the interval's p99 as a line on its own scale. It draws {@link Bucket}s, not the digest's
 * timeline itself, so the chart does not change when the digest's representation does.
 */
final class TimelineSvg {
  static final int WIDTH = 960;

  /** The overall chart's height; the top classes' charts are lower. */
  static final int HEIGHT = 220;

  static final int CLASS_HEIGHT = 130;
  private static final int LEFT = 64;
  private static final int RIGHT = 72;
  private static final int TOP = 16;
  private static final int BOTTOM = 30;

  /**
   * One interval.
   *
   * @param startNanos epoch nanoseconds at which it begins
   * @param p99Us the p99 response time of the replies in it, 0 when none
   */
  record Bucket(long startNanos, long requests, long errors, long p99Us) {}

  private TimelineSvg() {}

  /**
   * The chart of {@code buckets} (in time order, each {@code bucketNanos} long), {@code height}
   * pixels high; {@code label} names it.
   */
  static String svg(List<Bucket> buckets, long bucketNanos, int height, String label) {
    Svg svg = new Svg(WIDTH, height, "chart timeline", label);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = height - TOP - BOTTOM;
    double base = TOP + plotH;
    long maxRequests = 1;
    long maxP99 = 1;
    for (Bucket b : buckets) {
      maxRequests = Math.max(maxRequests, b.requests());
      maxP99 = Math.max(maxP99, b.p99Us());
    }
    svg.line(LEFT, base, LEFT + plotW, base, "axis");
    svg.line(LEFT, TOP, LEFT, base, "axis");
    svg.line(LEFT + plotW, TOP, LEFT + plotW, base, "axis");
    svg.text(LEFT - 6, TOP + 10, "end", "tick", Units.count(maxRequests));
    svg.text(LEFT - 6, base, "end", "tick", "0");
    svg.text(LEFT + plotW + 6, TOP + 10, "start", "tick p99", Units.micros(maxP99));
    svg.text(LEFT + plotW + 6, base, "start", "tick p99", "0");
    if (buckets.isEmpty()) {
      return svg.end();
    }
    double w = plotW / buckets.size();
    double gap = w > 4 ? 1 : 0;
    for (int i = 0; i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      double x = LEFT + i * w;
      String tip = tooltip(b, bucketNanos);
      svg.rect(
          x,
          base - plotH * b.requests() / maxRequests,
          w - gap,
          plotH * b.requests() / maxRequests,
          "requests",
          tip);
      svg.rect(
          x,
          base - plotH * b.errors() / maxRequests,
          w - gap,
          plotH * b.errors() / maxRequests,
          "errors",
          tip);
    }
    // The p99 line runs through the intervals that had replies and breaks where none did: an
    // interval without replies has no p99, not a p99 of zero.
    int runStart = 0;
    for (int i = 0; i <= buckets.size(); i++) {
      if (i < buckets.size() && buckets.get(i).p99Us() > 0) {
        continue;
      }
      if (i - runStart == 1) {
        Bucket b = buckets.get(runStart);
        svg.circle(
            LEFT + (runStart + 0.5) * w,
            base - plotH * b.p99Us() / maxP99,
            2.5,
            "p99",
            tooltip(b, bucketNanos));
      } else if (i - runStart > 1) {
        double[] xy = new double[(i - runStart) * 2];
        for (int j = runStart; j < i; j++) {
          xy[2 * (j - runStart)] = LEFT + (j + 0.5) * w;
          xy[2 * (j - runStart) + 1] = base - plotH * buckets.get(j).p99Us() / maxP99;
        }
        svg.polyline(xy, "p99");
      }
      runStart = i + 1;
    }
    svg.text(LEFT, height - 8, "start", "tick", Units.instant(buckets.get(0).startNanos()));
    svg.text(
        LEFT + plotW,
        height - 8,
        "end",
        "tick",
        Units.instant(buckets.get(buckets.size() - 1).startNanos() + bucketNanos));
    return svg.end();
  }

  private static String tooltip(Bucket b, long bucketNanos) {
    return Units.instant(b.startNanos())
        + " (+"
        + Units.micros(bucketNanos / 1e3)
        + "): "
        + Units.count(b.requests())
        + " requests, "
        + Units.count(b.errors())
        + " errors, p99 "
        + (b.p99Us() > 0 ? Units.micros(b.p99Us()) : "-");
  }
}
