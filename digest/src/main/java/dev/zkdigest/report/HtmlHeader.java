package dev.zkdigest.report;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import java.util.List;
import java.util.StringJoiner;

/** The HTML report's header: time range, counts, traffic, and the attribute table. */
final class HtmlHeader {
  private HtmlHeader() {}

  static void header(DigestSnapshot s, StringBuilder b) {
    double seconds = Math.max(0, s.lastNanos() - s.firstNanos()) / 1e9;
    b.append("<dl class=\"facts\">\n");
    HtmlFacts.fact(
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
    HtmlFacts.fact(
        b,
        "Overall",
        HtmlFacts.plural(s.requests(), "request")
            + " ("
            + Units.count(rate)
            + "/s), "
            + HtmlFacts.plural(s.responses(), "response")
            + ", "
            + HtmlFacts.plural(s.errors(), "error")
            + ", "
            + HtmlFacts.plural(s.events(), "event"));
    HtmlFacts.fact(
        b,
        "Seen",
        HtmlFacts.plural(s.connections(), "connection")
            + ", "
            + (s.sessionIds().overflowed() ? "~" : "")
            + HtmlFacts.plural(s.sessions(), "session")
            + ", "
            + (s.clientsOverflowed() ? "~" : "")
            + HtmlFacts.plural(s.clients(), "client")
            + ", "
            + HtmlFacts.plural(s.counter(Counter.FOUR_LETTER_WORDS), "four-letter word"));
    HtmlFacts.fact(
        b,
        "Traffic",
        Units.bytes(s.counter(Counter.BYTES_FROM_CLIENTS))
            + " bytes from clients, "
            + Units.bytes(s.counter(Counter.BYTES_FROM_SERVERS))
            + " bytes from servers");
    HtmlFacts.fact(
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
      HtmlFacts.fact(
          b,
          "Ignored",
          HtmlFacts.plural(s.counter(Counter.IGNORED_FLOWS), "flow")
              + ", "
              + Units.bytes(s.counter(Counter.IGNORED_BYTES))
              + " bytes not to a known ZooKeeper server");
    }
    if (!s.frontEnd().isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      s.frontEnd().forEach((k, v) -> j.add(k + " " + v));
      HtmlFacts.fact(b, "Front end", j.toString());
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
}
