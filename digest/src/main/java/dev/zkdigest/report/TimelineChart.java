package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Timeline;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text report's timeline: one row of characters per series (requests, errors, p99, then the
 * busiest classes' requests), one column per bucket, at most {@value #COLUMNS} columns (buckets
 * added together when there are more), heights on a ramp of ten characters scaled to the row's
 * largest value.
 */
final class TimelineChart {
  static final int COLUMNS = 60;

  /** Classes given a row of their own. */
  static final int CLASSES = 3;

  /** From nothing to the row's largest value; a blank column is no traffic at all. */
  private static final String RAMP = "_.,:-=+*#@";

  private TimelineChart() {}

  static void render(DigestSnapshot s, PrintWriter out) {
    Timeline t = s.timeline();
    if (t.isEmpty()) {
      return;
    }
    List<Timeline.Bucket> all = t.buckets();
    long first = all.get(0).startNanos();
    long last = all.get(all.size() - 1).startNanos();
    long width = t.widthNanos();
    while (Math.floorDiv(last, width) - Math.floorDiv(first, width) + 1 > COLUMNS) {
      width *= 2;
    }
    Timeline shown = t.coarsened(width, Integer.MAX_VALUE);
    List<Timeline.Bucket> buckets = shown.buckets();
    out.printf(
        Locale.ROOT,
        "# Timeline: %d %s of %s from %s%n",
        buckets.size(),
        buckets.size() == 1 ? "bucket" : "buckets",
        Units.micros(width / 1e3),
        Units.instant(buckets.get(0).startNanos()));
    row(out, "requests", buckets, b -> b.requests(), Units::count);
    row(out, "errors", buckets, b -> b.errors(), Units::count);
    row(out, "p99", buckets, b -> b.latency().percentile(99), Units::micros);
    List<Map.Entry<ClassKey, GroupStats>> classes = new ArrayList<>(s.classes().entrySet());
    classes.sort(
        Comparator.comparingLong((Map.Entry<ClassKey, GroupStats> e) -> e.getValue().requests())
            .reversed()
            .thenComparing(e -> e.getKey().toString()));
    for (int i = 0; i < Math.min(CLASSES, classes.size()); i++) {
      ClassKey k = classes.get(i).getKey();
      out.printf(Locale.ROOT, "#   %s%n", k);
      row(
          out,
          "  requests",
          buckets,
          b -> {
            Timeline.Point p = b.classes().get(k);
            return p == null ? 0 : p.requests();
          },
          Units::count);
    }
    out.println();
  }

  private interface Value {
    long of(Timeline.Bucket b);
  }

  private interface Format {
    String of(double v);
  }

  private static void row(
      PrintWriter out, String name, List<Timeline.Bucket> buckets, Value value, Format format) {
    long max = 0;
    for (Timeline.Bucket b : buckets) {
      max = Math.max(max, value.of(b));
    }
    StringBuilder line = new StringBuilder();
    for (Timeline.Bucket b : buckets) {
      long v = value.of(b);
      if (b.isEmpty()) {
        line.append(' ');
      } else if (max == 0 || v == 0) {
        line.append(RAMP.charAt(0));
      } else {
        int level = (int) Math.ceil((double) v * (RAMP.length() - 1) / max);
        line.append(RAMP.charAt(Math.max(1, Math.min(RAMP.length() - 1, level))));
      }
    }
    out.printf(Locale.ROOT, "# %-10s |%s| max %s%n", name, line, format.of(max));
  }
}
