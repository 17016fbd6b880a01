package dev.zkdigest.report;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The HTML report's profile, a table sortable by any column, and the latency of its top groups:
 * their ranges side by side, then each one's distribution.
 */
final class HtmlProfile {
  private HtmlProfile() {}

  static void profile(
      List<GroupBy.Row> rows, DigestSnapshot s, ReportOptions opts, StringBuilder b) {
    String heading = opts.groupBy().heading();
    b.append("<section id=\"profile-section\">\n<h2>Profile</h2>\n");
    if (rows.isEmpty()) {
      b.append("<p class=\"none\">No requests.</p>\n</section>\n");
      return;
    }
    long totalUs = 0;
    for (GroupBy.Row r : rows) {
      totalUs += r.stats().latencySumUs();
    }
    SortableTable t =
        new SortableTable(
            "profile",
            List.of(
                SortableTable.Column.rank("rank", "Rank"),
                SortableTable.Column.number("time", "Response time"),
                SortableTable.Column.number("share", "Share"),
                SortableTable.Column.number("calls", "Calls"),
                SortableTable.Column.number("avg", "R/Call"),
                SortableTable.Column.number("p99", "p99"),
                SortableTable.Column.number("max", "Max"),
                SortableTable.Column.number("errors", "Errors"),
                SortableTable.Column.number("bytes", "Bytes"),
                SortableTable.Column.text("group", heading)));
    for (int i = 0; i < rows.size(); i++) {
      GroupBy.Row r = rows.get(i);
      GroupStats st = r.stats();
      Latency lat = st.latency();
      double share = totalUs > 0 ? (double) st.latencySumUs() / totalUs : 0;
      t.row(
          List.of(
              SortableTable.Cell.count(i + 1),
              SortableTable.Cell.micros(st.latencySumUs()),
              new SortableTable.Cell(Units.percent(share), share),
              SortableTable.Cell.count(st.requests()),
              st.responses() > 0
                  ? SortableTable.Cell.micros((double) st.latencySumUs() / st.responses())
                  : SortableTable.Cell.none(),
              lat.count() > 0
                  ? SortableTable.Cell.micros(lat.percentile(99))
                  : SortableTable.Cell.none(),
              lat.count() > 0 ? SortableTable.Cell.micros(lat.max()) : SortableTable.Cell.none(),
              SortableTable.Cell.count(st.errors()),
              SortableTable.Cell.bytes(st.requestBytes() + st.responseBytes()),
              SortableTable.Cell.text(r.label())));
    }
    b.append(t.html());
    if (s.classesOverflowed() > 0 && opts.groupBy() == GroupBy.PATTERN) {
      b.append("<p>")
          .append(s.classesOverflowed())
          .append(" requests fell into ")
          .append(Html.escape(Digest.OTHER))
          .append(" classes after the class cap was reached.</p>\n");
    }
    b.append("</section>\n");
  }

  static void topGroups(
      List<GroupBy.Row> rows, ReportOptions opts, DigestSnapshot s, StringBuilder b) {
    int n = Math.min(opts.top(), rows.size());
    if (n == 0) {
      return;
    }
    String heading = opts.groupBy().heading();
    b.append("<section id=\"latency\">\n<h2>Latency of the top ")
        .append(n)
        .append(n == 1 ? " " + heading.toLowerCase(Locale.ROOT) : " groups")
        .append("</h2>\n");
    List<LatencyChart.Range> ranges = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ranges.add(new LatencyChart.Range(rows.get(i).label(), rows.get(i).stats().latency()));
    }
    b.append("<p>Each bar spans p50 to p99; the dot is the slowest reply.</p>\n");
    b.append(LatencyChart.ranges(ranges, "p50 to p99 response time per " + heading));
    b.append("<div class=\"classes\">\n");
    for (int i = 0; i < n; i++) {
      group(i + 1, rows.get(i), heading, s, b);
    }
    b.append("</div>\n</section>\n");
  }

  private static void group(
      int rank, GroupBy.Row row, String heading, DigestSnapshot s, StringBuilder b) {
    GroupStats st = row.stats();
    Latency lat = st.latency();
    b.append("<div class=\"group\">\n<h3>")
        .append(Html.escape(heading + " " + rank + ": " + row.label()))
        .append("</h3>\n<dl class=\"facts\">\n");
    double callShare = s.requests() > 0 ? (double) st.requests() / s.requests() : 0;
    HtmlFacts.fact(
        b,
        "Calls",
        Units.count(st.requests())
            + " ("
            + Units.percent(callShare)
            + " of all), responses "
            + Units.count(st.responses())
            + ", errors "
            + Units.count(st.errors())
            + (st.errors() > 0 ? " (" + TextReport.errorList(st.errorsByCode()) + ")" : ""));
    List<Map.Entry<String, Long>> clients = row.cls() != null ? s.topClients(row.cls()) : List.of();
    if (!clients.isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      clients.stream()
          .limit(5)
          .forEach(e -> j.add(e.getKey() + " (" + Units.count(e.getValue()) + ")"));
      HtmlFacts.fact(
          b, "Clients", j + (clients.size() > 5 ? ", and " + (clients.size() - 5) + " more" : ""));
    }
    if (lat.count() > 0) {
      HtmlFacts.fact(
          b,
          "Response time",
          "min "
              + Units.micros(lat.min())
              + ", p50 "
              + Units.micros(lat.percentile(50))
              + ", p95 "
              + Units.micros(lat.percentile(95))
              + ", p99 "
              + Units.micros(lat.percentile(99))
              + ", max "
              + Units.micros(lat.max()));
    }
    HtmlFacts.fact(
        b,
        "Bytes",
        "requests "
            + Units.bytes(st.requestBytes())
            + ", responses "
            + Units.bytes(st.responseBytes()));
    b.append("</dl>\n");
    if (lat.count() > 0) {
      b.append(LatencyChart.histogram(lat, "Response time distribution of " + row.label()));
    }
    b.append("</div>\n");
  }
}
