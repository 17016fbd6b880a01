package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.digest.Timeline;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.findings.Findings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The report as one self-contained HTML page ({@code --format html}): the header and the findings
 * first, so the first screen names the problem, then the timeline, the sortable profile, the
 * latency charts of the top groups, and the per-client and per-session tables. Charts are SVG drawn
 * here from the snapshot's histograms; the page fetches nothing ({@link HtmlPage}).
 */
public final class HtmlReport {
  /**
   * A preformatted section after the digest's own (the quorum digest, a budget's verdicts), as the
   * text report prints it.
   */
  public record Section(String id, String title, String text) {}

  /** Classes given a timeline chart of their own: the profile's first ones. */
  private static final int TIMELINE_CLASSES = 5;

  private static final String LEGEND =
      "<p class=\"legend\"><span><i class=\"swatch requests\"></i>requests</span>"
          + "<span><i class=\"swatch errors\"></i>errors</span>"
          + "<span><i class=\"swatch p99\"></i>p99 (right scale)</span></p>\n";

  private HtmlReport() {}

  public static void render(DigestSnapshot s, ReportOptions opts, PrintWriter out) {
    render(s, opts, List.of(), out);
  }

  public static void render(
      DigestSnapshot s, ReportOptions opts, List<Section> sections, PrintWriter out) {
    render(s, opts, Findings.detect(s, opts.thresholds()), sections, out);
  }

  /** With the findings given rather than detected: tests render findings of their own. */
  static void render(
      DigestSnapshot s,
      ReportOptions opts,
      List<Finding> found,
      List<Section> sections,
      PrintWriter out) {
    String title =
        "zkdigest "
            + ReportOptions.VERSION
            + ": "
            + opts.mode()
            + " of "
            + String.join(", ", opts.inputs());
    StringBuilder b = new StringBuilder();
    b.append("<header>\n<h1>").append(Html.escape(title)).append("</h1>\n");
    header(s, b);
    b.append("</header>\n<main>\n");
    findings(found, b);
    timeline(s, b);
    List<GroupBy.Row> rows = opts.groupBy().rows(s);
    profile(rows, s, opts, b);
    topGroups(rows, opts, s, b);
    clients(s, b);
    identities(s, b);
    sessions(s, opts, b);
    extras(s, b);
    for (Section sec : sections) {
      b.append("<section id=\"")
          .append(Html.escape(sec.id()))
          .append("\">\n<h2>")
          .append(Html.escape(sec.title()))
          .append("</h2>\n<pre>")
          .append(Html.escape(sec.text()))
          .append("</pre>\n</section>\n");
    }
    b.append("</main>\n");
    HtmlPage.write(title, b.toString(), out);
  }

  // ---- header ----

  private static void header(DigestSnapshot s, StringBuilder b) {
    double seconds = Math.max(0, s.lastNanos() - s.firstNanos()) / 1e9;
    b.append("<dl class=\"facts\">\n");
    fact(
        b,
        "Time range",
        s.firstNanos() == 0
            ? "no traffic seen"
            : Units.instant(s.firstNanos())
                + " to "
                + Units.instant(s.lastNanos())
                + " ("
                + Units.micros(seconds * 1e6)
                + ")");
    double rate = seconds > 0 ? s.requests() / seconds : 0;
    fact(
        b,
        "Overall",
        plural(s.requests(), "request")
            + " ("
            + Units.count(rate)
            + "/s), "
            + plural(s.responses(), "response")
            + ", "
            + plural(s.errors(), "error")
            + ", "
            + plural(s.events(), "event"));
    fact(
        b,
        "Seen",
        plural(s.connections(), "connection")
            + ", "
            + (s.sessionIds().overflowed() ? "~" : "")
            + plural(s.sessions(), "session")
            + ", "
            + (s.clientsOverflowed() ? "~" : "")
            + plural(s.clients(), "client")
            + ", "
            + plural(s.counter(Counter.FOUR_LETTER_WORDS), "four-letter word"));
    fact(
        b,
        "Traffic",
        Units.bytes(s.counter(Counter.BYTES_FROM_CLIENTS))
            + " bytes from clients, "
            + Units.bytes(s.counter(Counter.BYTES_FROM_SERVERS))
            + " bytes from servers");
    fact(
        b,
        "Not matched",
        s.unmatched()
            + " unmatched replies, "
            + s.pending()
            + " requests pending at the end; decode errors "
            + s.decodeErrors()
            + "; bytes skipped "
            + Units.bytes(s.counter(Counter.SKIPPED_BYTES)));
    if (s.counter(Counter.IGNORED_FLOWS) > 0 || s.counter(Counter.IGNORED_BYTES) > 0) {
      fact(
          b,
          "Ignored",
          plural(s.counter(Counter.IGNORED_FLOWS), "flow")
              + ", "
              + Units.bytes(s.counter(Counter.IGNORED_BYTES))
              + " bytes not to a known ZooKeeper server");
    }
    if (!s.frontEnd().isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      s.frontEnd().forEach((k, v) -> j.add(k + " " + v));
      fact(b, "Front end", j.toString());
    }
    b.append("</dl>\n");
    b.append("<table class=\"attributes\">\n<thead><tr><th>Attribute</th>");
    for (String h : List.of("total", "min", "max", "avg", "95%", "median")) {
      b.append("<th class=\"num\">").append(h).append("</th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    GroupStats all = s.overall();
    Latency lat = all.latency();
    if (lat.count() > 0) {
      attribute(
          b,
          "Response time",
          Units.micros(all.latencySumUs()),
          Units.micros(lat.min()),
          Units.micros(lat.max()),
          Units.micros(lat.mean()),
          Units.micros(lat.percentile(95)),
          Units.micros(lat.percentile(50)));
    }
    sizes(b, "Request size", s.counter(Counter.BYTES_FROM_CLIENTS), s.requestSizes());
    sizes(b, "Response size", s.counter(Counter.BYTES_FROM_SERVERS), s.responseSizes());
    b.append("</tbody>\n</table>\n");
  }

  private static void sizes(StringBuilder b, String name, long total, Latency h) {
    if (h.count() > 0) {
      attribute(
          b,
          name,
          Units.bytes(total),
          Units.bytes(h.min()),
          Units.bytes(h.max()),
          Units.bytes(h.mean()),
          Units.bytes(h.percentile(95)),
          Units.bytes(h.percentile(50)));
    }
  }

  private static void attribute(StringBuilder b, String name, String... values) {
    b.append("<tr><th scope=\"row\">").append(Html.escape(name)).append("</th>");
    for (String v : values) {
      b.append("<td class=\"num\">").append(Html.escape(v)).append("</td>");
    }
    b.append("</tr>\n");
  }

  private static void fact(StringBuilder b, String name, String value) {
    b.append("<dt>")
        .append(Html.escape(name))
        .append("</dt><dd>")
        .append(Html.escape(value))
        .append("</dd>\n");
  }

  // ---- findings ----

  private static void findings(List<Finding> findings, StringBuilder b) {
    b.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if (findings.isEmpty()) {
      b.append("<p class=\"none\">No findings: no known problem pattern in this traffic.</p>\n");
    }
    for (Finding f : findings) {
      String severity = f.severity().name().toLowerCase(Locale.ROOT);
      b.append("<div class=\"finding ")
          .append(severity)
          .append("\">\n<div class=\"kind\">")
          .append(Html.escape(f.kind().jsonName() + " \u00b7 " + severity))
          .append("</div>\n<p class=\"summary\">")
          .append(Html.escape(f.summary()))
          .append("</p>\n<dl class=\"facts\">\n");
      evidence(f.evidence(), b);
      fact(b, "Remedy", f.remedy());
      b.append("</dl>\n</div>\n");
    }
    b.append("</section>\n");
  }

  private static void evidence(Finding.Evidence e, StringBuilder b) {
    if (e == null) {
      return;
    }
    if (e.cls() != null) {
      fact(b, "Class", e.cls());
    }
    if (e.path() != null) {
      fact(b, "Path", e.path());
    }
    if (!e.clients().isEmpty()) {
      fact(b, "Clients", listed(e.clients()));
    }
    if (!e.sessions().isEmpty()) {
      fact(b, "Sessions", listed(e.sessions()));
    }
    fact(b, "Count", Units.count(e.count()));
    if (e.firstNanos() != 0) {
      fact(
          b,
          "When",
          Units.instant(e.firstNanos())
              + (e.lastNanos() > e.firstNanos() ? " to " + Units.instant(e.lastNanos()) : ""));
    }
    Finding.Example x = e.example();
    if (x != null) {
      fact(
          b,
          "Example",
          Units.instant(x.timeNanos())
              + " "
              + x.client()
              + " session "
              + Units.session(x.session())
              + " xid="
              + x.xid());
    }
  }

  private static String listed(List<String> l) {
    int shown = Math.min(10, l.size());
    String s = String.join(", ", l.subList(0, shown));
    return l.size() > shown ? s + ", and " + (l.size() - shown) + " more" : s;
  }

  // ---- timeline ----

  private static void timeline(DigestSnapshot s, StringBuilder b) {
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

  // ---- profile ----

  private static void profile(
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

  // ---- latency per group ----

  private static void topGroups(
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
    fact(
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
      fact(b, "Clients", j + (clients.size() > 5 ? ", and " + (clients.size() - 5) + " more" : ""));
    }
    if (lat.count() > 0) {
      fact(
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
    fact(
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

  // ---- clients and sessions ----

  private static void clients(DigestSnapshot s, StringBuilder b) {
    b.append("<section id=\"clients-section\">\n<h2>Clients</h2>\n");
    SortableTable t = statsTable("clients", "client", "Client", true);
    s.clientsByAddress().forEach((addr, st) -> t.row(statsRow(addr, st, true)));
    b.append(t.isEmpty() ? "<p class=\"none\">No clients.</p>\n" : t.html());
    b.append("</section>\n");
  }

  private static void identities(DigestSnapshot s, StringBuilder b) {
    b.append("<section id=\"identities-section\">\n<h2>Identities</h2>\n");
    if (s.identities().isEmpty()) {
      b.append(
          "<p class=\"none\">No authenticated identity seen (digest user names from auth"
              + " packets, SASL principals where they travel in clear).</p>\n");
    } else {
      SortableTable t = statsTable("identities", "identity", "Identity", true);
      s.identities().forEach((id, st) -> t.row(statsRow(id, st, true)));
      b.append(t.html());
    }
    b.append("</section>\n");
  }

  private static void sessions(DigestSnapshot s, ReportOptions opts, StringBuilder b) {
    b.append("<section id=\"sessions-section\">\n<h2>Sessions</h2>\n");
    if (s.sessionsById().isEmpty()) {
      b.append("<p class=\"none\">")
          .append(Html.escape(plural(s.sessions(), "session")))
          .append(" seen; they are listed one by one with <code>--group-by session</code>.</p>\n");
    } else {
      SortableTable t = statsTable("sessions", "session", "Session", false);
      s.sessionsById()
          .forEach(
              (id, st) ->
                  t.row(
                      statsRow(
                          id == DigestSnapshot.OTHER_SESSION ? Digest.OTHER : Units.session(id),
                          st,
                          false)));
      b.append(t.html());
    }
    b.append("</section>\n");
  }

  private static SortableTable statsTable(
      String id, String key, String heading, boolean connections) {
    List<SortableTable.Column> cols = new ArrayList<>();
    cols.add(SortableTable.Column.text(key, heading));
    if (connections) {
      cols.add(SortableTable.Column.number("connections", "Connections"));
    }
    cols.add(SortableTable.Column.number("requests", "Requests"));
    cols.add(SortableTable.Column.number("errors", "Errors"));
    cols.add(SortableTable.Column.number("time", "Response time"));
    cols.add(SortableTable.Column.number("p99", "p99"));
    cols.add(SortableTable.Column.number("sent", "Bytes sent"));
    cols.add(SortableTable.Column.number("received", "Bytes received"));
    return new SortableTable(id, cols);
  }

  private static List<SortableTable.Cell> statsRow(
      String name, GroupStats st, boolean connections) {
    List<SortableTable.Cell> cells = new ArrayList<>();
    cells.add(SortableTable.Cell.text(name));
    if (connections) {
      cells.add(SortableTable.Cell.count(st.connections()));
    }
    cells.add(SortableTable.Cell.count(st.requests()));
    cells.add(SortableTable.Cell.count(st.errors()));
    cells.add(SortableTable.Cell.micros(st.latencySumUs()));
    cells.add(
        st.latency().count() > 0
            ? SortableTable.Cell.micros(st.latency().percentile(99))
            : SortableTable.Cell.none());
    cells.add(SortableTable.Cell.bytes(st.requestBytes()));
    cells.add(SortableTable.Cell.bytes(st.responseBytes()));
    return cells;
  }

  // ---- the rest of the text report's sections ----

  private static void extras(DigestSnapshot s, StringBuilder b) {
    if (!s.eventsByType().isEmpty()) {
      b.append("<section id=\"events-section\">\n<h2>Watch events</h2>\n");
      SortableTable types =
          new SortableTable(
              "event-types",
              List.of(
                  SortableTable.Column.text("type", "Event"),
                  SortableTable.Column.number("count", "Count")));
      s.eventsByType()
          .forEach(
              (k, v) ->
                  types.row(List.of(SortableTable.Cell.text(k), SortableTable.Cell.count(v))));
      b.append(types.html());
      SortableTable patterns =
          new SortableTable(
              "event-patterns",
              List.of(
                  SortableTable.Column.text("type", "Event"),
                  SortableTable.Column.text("pattern", "Path pattern"),
                  SortableTable.Column.number("count", "Count")));
      s.eventPatterns()
          .forEach(
              (k, v) ->
                  patterns.row(
                      List.of(
                          SortableTable.Cell.text(k.type()),
                          SortableTable.Cell.text(k.pattern()),
                          SortableTable.Cell.count(v))));
      b.append(patterns.html()).append("</section>\n");
    }
    if (!s.multiSubOps().isEmpty()) {
      b.append("<section id=\"multi-section\">\n<h2>Operations inside multi and multiRead</h2>\n");
      SortableTable t =
          new SortableTable(
              "multi",
              List.of(
                  SortableTable.Column.text("op", "Operation"),
                  SortableTable.Column.number("count", "Count"),
                  SortableTable.Column.text("results", "Results")));
      s.multiSubOps()
          .forEach(
              (k, v) -> {
                StringJoiner j = new StringJoiner(", ");
                s.multiSubResults().getOrDefault(k, Map.of()).forEach((c, n) -> j.add(c + " " + n));
                t.row(
                    List.of(
                        SortableTable.Cell.text(k),
                        SortableTable.Cell.count(v),
                        SortableTable.Cell.text(j.toString())));
              });
      b.append(t.html()).append("</section>\n");
    }
    if (!s.fourLetterWords().isEmpty()) {
      b.append("<section id=\"four-letter-section\">\n<h2>Four-letter words</h2>\n");
      SortableTable t =
          new SortableTable(
              "four-letter-words",
              List.of(
                  SortableTable.Column.text("command", "Command"),
                  SortableTable.Column.number("count", "Count"),
                  SortableTable.Column.number("bytes", "Answer bytes")));
      s.fourLetterWords()
          .forEach(
              (k, v) ->
                  t.row(
                      List.of(
                          SortableTable.Cell.text(k),
                          SortableTable.Cell.count(v.count()),
                          SortableTable.Cell.bytes(v.answerBytes()))));
      b.append(t.html()).append("</section>\n");
    }
    if (!s.decodeErrorReasons().isEmpty()) {
      b.append("<section id=\"decode-errors-section\">\n<h2>Decode errors</h2>\n");
      SortableTable t =
          new SortableTable(
              "decode-errors",
              List.of(
                  SortableTable.Column.text("reason", "Reason"),
                  SortableTable.Column.number("count", "Count")));
      s.decodeErrorReasons()
          .forEach(
              (k, v) -> t.row(List.of(SortableTable.Cell.text(k), SortableTable.Cell.count(v))));
      b.append(t.html()).append("</section>\n");
    }
  }

  private static String plural(long n, String noun) {
    return Units.count(n) + " " + noun + (n == 1 ? "" : "s");
  }
}
