package dev.zkdigest.report;

import dev.zkdigest.digest.Latency;
import java.util.List;

/**
 * The HTML report's latency charts, drawn from the histograms a snapshot holds: a class's
 * distribution over decades of response time (the text report's histogram as bars), and the
 * p50-to-p99 range of the top classes side by side on one logarithmic axis.
 */
final class LatencyChart {
  /** Upper bounds of the decades, in microseconds; the last bucket takes the rest. */
  private static final long[] BOUNDS_US = {10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

  private static final String[] LABELS = {
    "1us", "10us", "100us", "1ms", "10ms", "100ms", "1s", "10s+"
  };

  private static final int HIST_WIDTH = 400;
  private static final int HIST_HEIGHT = 140;
  private static final int HIST_BOTTOM = 20;
  private static final int HIST_TOP = 14;

  private static final int RANGE_WIDTH = 960;
  private static final int RANGE_ROW = 20;
  private static final int RANGE_LABEL = 300;
  private static final int RANGE_AXIS = 24;

  /** Characters of a class name beside its range: about the label column's width. */
  private static final int SHORT_LABEL = 44;

  /** Log axis from 1us to 10s: seven decades. */
  private static final double DECADES = 7;

  /** One class on the range chart. */
  record Range(String label, Latency latency) {}

  private LatencyChart() {}

  /** Calls per decade of response time, bars scaled to the fullest decade. */
  static String histogram(Latency lat, String label) {
    long[] counts = new long[LABELS.length];
    lat.forEachValue(
        (value, n) -> {
          int b = 0;
          while (b < BOUNDS_US.length && value >= BOUNDS_US[b]) {
            b++;
          }
          counts[b] += n;
        });
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    Svg svg = new Svg(HIST_WIDTH, HIST_HEIGHT, "chart histogram", label);
    double w = (double) HIST_WIDTH / counts.length;
    double plotH = HIST_HEIGHT - HIST_TOP - HIST_BOTTOM;
    double base = HIST_TOP + plotH;
    svg.line(0, base, HIST_WIDTH, base, "axis");
    for (int b = 0; b < counts.length; b++) {
      double h = counts[b] == 0 ? 0 : Math.max(1, plotH * counts[b] / max);
      double x = b * w;
      svg.rect(
          x + 2,
          base - h,
          w - 4,
          h,
          "requests",
          Units.count(counts[b])
              + (counts[b] == 1 ? " reply " : " replies ")
              + (b < BOUNDS_US.length
                  ? "from " + LABELS[b] + " to " + LABELS[b + 1].replace("+", "")
                  : "of " + LABELS[b].replace("+", "") + " or more"));
      if (counts[b] > 0) {
        svg.text(x + w / 2, base - h - 3, "middle", "tick", Units.count(counts[b]));
      }
      svg.text(x + w / 2, HIST_HEIGHT - 5, "middle", "tick", LABELS[b]);
    }
    return svg.end();
  }

  /**
   * Each class's range from p50 to p99 as a bar, with a mark at its maximum, on one logarithmic
   * axis: the classes whose tail is far from their median stand out.
   */
  static String ranges(List<Range> rows, String label) {
    int height = RANGE_AXIS + RANGE_ROW * rows.size() + 6;
    Svg svg = new Svg(RANGE_WIDTH, height, "chart ranges", label);
    double plotW = RANGE_WIDTH - RANGE_LABEL - 16;
    for (int d = 0; d <= DECADES; d++) {
      double x = RANGE_LABEL + plotW * d / DECADES;
      svg.line(x, RANGE_AXIS - 4, x, height - 4, "grid");
      svg.text(x, RANGE_AXIS - 8, "middle", "tick", LABELS[d].replace("+", ""));
    }
    for (int i = 0; i < rows.size(); i++) {
      Range r = rows.get(i);
      double y = RANGE_AXIS + i * RANGE_ROW;
      svg.text(RANGE_LABEL - 8, y + 14, "end", "label", shorten(r.label()));
      Latency lat = r.latency();
      if (lat.count() == 0) {
        continue;
      }
      long p50 = lat.percentile(50);
      long p99 = lat.percentile(99);
      String tip =
          r.label()
              + ": p50 "
              + Units.micros(p50)
              + ", p99 "
              + Units.micros(p99)
              + ", max "
              + Units.micros(lat.max());
      double x50 = RANGE_LABEL + plotW * position(p50);
      double x99 = RANGE_LABEL + plotW * position(p99);
      svg.rect(x50, y + 5, Math.max(2, x99 - x50), RANGE_ROW - 10, "requests", tip);
      svg.circle(RANGE_LABEL + plotW * position(lat.max()), y + RANGE_ROW / 2.0, 3, "p99", tip);
    }
    return svg.end();
  }

  /** Where {@code us} falls on the axis, 0 (1us) to 1 (10s), clamped. */
  private static double position(long us) {
    double p = Math.log10(Math.max(1, us)) / DECADES;
    return Math.min(1, p);
  }

  /** Long class names cut in the middle, where a path's least telling part usually is. */
  private static String shorten(String s) {
    int n = s.codePointCount(0, s.length());
    if (n <= SHORT_LABEL) {
      return s;
    }
    // By code points, so a character outside the BMP is never cut in two.
    int head = s.offsetByCodePoints(0, SHORT_LABEL / 2 - 2);
    int tail = s.offsetByCodePoints(0, n - (SHORT_LABEL / 2 + 1));
    return s.substring(0, head) + "\u2026" + s.substring(tail);
  }
}
