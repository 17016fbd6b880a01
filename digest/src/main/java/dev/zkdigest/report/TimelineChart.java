package dev.zkdigest.report;

import java.util.List;

/**
 * The HTML report's timeline: requests per interval as bars, the errors among them in front, and
 * the interval's p99 as a line on its own scale. It draws {@link Bucket}s, not the digest's
 * timeline itself, so the chart does not change when the digest's representation does.
 */
final class TimelineChart {
  static final int WIDTH = 960;
  static final int HEIGHT = 220;
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

  private TimelineChart() {}

  /**
   * The chart of {@code buckets} (in time order, each {@code bucketNanos} long); {@code label}
   * names it.
   */
  static String svg(List<Bucket> buckets, long bucketNanos, String label) {
    Svg svg = new Svg(WIDTH, HEIGHT, "chart timeline", label);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
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
    double[] p99 = new double[buckets.size() * 2];
    for (int i = 0; i < buckets.size(); i++) {
      Bucket b = buckets.get(i);
      double x = LEFT + i * w;
      double h = plotH * b.requests() / maxRequests;
      double eh = plotH * b.errors() / maxRequests;
      String tip = tooltip(b, bucketNanos);
      svg.rect(x, base - h, w - gap, h, "requests", tip);
      svg.rect(x, base - eh, w - gap, eh, "errors", tip);
      p99[2 * i] = x + w / 2;
      p99[2 * i + 1] = base - plotH * b.p99Us() / maxP99;
    }
    if (buckets.size() == 1) {
      svg.circle(p99[0], p99[1], 3, "p99", tooltip(buckets.get(0), bucketNanos));
    } else {
      svg.polyline(p99, "p99");
    }
    svg.text(LEFT, HEIGHT - 8, "start", "tick", Units.instant(buckets.get(0).startNanos()));
    svg.text(
        LEFT + plotW,
        HEIGHT - 8,
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
