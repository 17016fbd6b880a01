package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Timeline;
import java.util.ArrayList;
import java.util.List;

/** The HTML report's timeline: all requests per interval, then the top classes'. */
final class HtmlTimeline {
  /** Classes given a timeline chart of their own: the profile's first ones. */
  private static final int TIMELINE_CLASSES = 5;

  private static final String LEGEND =
      "<p class=\"legend\"><span><i class=\"swatch requests\"></i>requests</span>"
          + "<span><i class=\"swatch errors\"></i>errors</span>"
          + "<span><i class=\"swatch p99\"></i>p99 (right scale)</span></p>\n";

  private HtmlTimeline() {}

  static void timeline(DigestSnapshot s, StringBuilder b) {
    b.append("<section id=\"timeline\">\n<h2>Timeline</h2>\n");
    Timeline t = TimelineBuckets.chartable(s);
    if (t.isEmpty()) {
      b.append("<p class=\"none\">No timeline in this report.</p>\n</section>\n");
      return;
    }
    long width = t.widthNanos();
    b.append("<p>Requests per ")
        .append(Html.escape(Units.micros(width / 1e3)))
        .append(" interval, the errors among them, and their p99 response time.</p>\n");
    b.append(
        TimelineSvg.svg(
            TimelineBuckets.overall(t),
            width,
            TimelineSvg.HEIGHT,
            "Requests, errors and p99 per interval"));
    b.append(LEGEND);
    List<GroupBy.Row> top = GroupBy.PATTERN.rows(s);
    int n = Math.min(TIMELINE_CLASSES, top.size());
    List<String> untracked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ClassKey cls = top.get(i).cls();
      if (!TimelineBuckets.kept(t, cls)) {
        untracked.add(cls.toString());
        continue;
      }
      b.append("<h3>").append(Html.escape(cls.toString())).append("</h3>\n");
      if (TimelineBuckets.partly(t, cls)) {
        b.append(
            "<p class=\"none\">Some intervals kept too many classes to keep this one: there its"
                + " requests count under its operation&#39;s {other}.</p>\n");
      }
      b.append(
          TimelineSvg.svg(
              TimelineBuckets.ofClass(t, cls),
              width,
              TimelineSvg.CLASS_HEIGHT,
              "Requests, errors and p99 of " + cls + " per interval"));
    }
    if (!untracked.isEmpty()) {
      b.append("<p class=\"none\">Not kept by the timeline, which keeps ")
          .append(s.limits().timeline().classes())
          .append(" classes per interval: ")
          .append(Html.escape(String.join(", ", untracked)))
          .append(".</p>\n");
    }
    b.append("</section>\n");
  }
}
