package dev.zkdigest.report;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The HTML report's tables after the profile: clients, identities, sessions, then watch events,
 * multi sub-operations, four-letter words and decode errors, as the text report lists them.
 */
final class HtmlTables {
  private HtmlTables() {}

  static void clients(DigestSnapshot s, StringBuilder b) {
    b.append("<section id=\"clients-section\">\n<h2>Clients</h2>\n");
    SortableTable t = statsTable("clients", "client", "Client", true);
    for (Map.Entry<String, GroupStats> e : Rows.busiestFirst(s.clientsByAddress())) {
      t.row(statsRow(e.getKey(), e.getValue(), true));
    }
    b.append(t.isEmpty() ? "<p class=\"none\">No clients.</p>\n" : t.html());
    b.append("</section>\n");
  }

  static void identities(DigestSnapshot s, StringBuilder b) {
    b.append("<section id=\"identities-section\">\n<h2>Identities</h2>\n");
    if (s.identities().isEmpty()) {
      b.append(
          "<p class=\"none\">No authenticated identity seen (digest user names from auth"
              + " packets, SASL principals where they travel in clear).</p>\n");
    } else {
      SortableTable t = statsTable("identities", "identity", "Identity", true);
      for (Map.Entry<String, GroupStats> e : Rows.busiestFirst(s.identities())) {
        t.row(statsRow(e.getKey(), e.getValue(), true));
      }
      b.append(t.html());
    }
    b.append("</section>\n");
  }

  static void sessions(DigestSnapshot s, StringBuilder b) {
    b.append("<section id=\"sessions-section\">\n<h2>Sessions</h2>\n");
    if (s.sessionsById().isEmpty()) {
      b.append("<p class=\"none\">")
          .append(Html.escape(HtmlFacts.plural(s.sessions(), "session")))
          .append(" seen; they are listed one by one with <code>--group-by session</code>.</p>\n");
    } else {
      SortableTable t = statsTable("sessions", "session", "Session", false);
      for (Map.Entry<Long, GroupStats> e : Rows.busiestFirst(s.sessionsById())) {
        long id = e.getKey();
        t.row(
            statsRow(
                id == DigestSnapshot.OTHER_SESSION ? Digest.OTHER : Units.session(id),
                e.getValue(),
                false));
      }
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

  static void extras(DigestSnapshot s, StringBuilder b) {
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
}
