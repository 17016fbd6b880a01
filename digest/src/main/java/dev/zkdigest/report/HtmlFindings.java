package dev.zkdigest.report;

import dev.zkdigest.findings.Finding;
import java.util.List;
import java.util.Locale;

/** The HTML report's findings, first on the page: each in words, with its evidence and remedy. */
final class HtmlFindings {
  private HtmlFindings() {}

  static void findings(List<Finding> findings, StringBuilder b) {
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
      HtmlFacts.fact(b, "Remedy", f.remedy());
      b.append("</dl>\n</div>\n");
    }
    b.append("</section>\n");
  }

  private static void evidence(Finding.Evidence e, StringBuilder b) {
    if (e == null) {
      return;
    }
    if (e.cls() != null) {
      HtmlFacts.fact(b, "Class", e.cls());
    }
    if (e.path() != null) {
      HtmlFacts.fact(b, "Path", e.path());
    }
    if (!e.clients().isEmpty()) {
      HtmlFacts.fact(b, "Clients", listed(e.clients()));
    }
    if (!e.sessions().isEmpty()) {
      HtmlFacts.fact(b, "Sessions", listed(e.sessions()));
    }
    HtmlFacts.fact(b, "Count", Units.count(e.count()));
    if (e.firstNanos() != 0) {
      HtmlFacts.fact(
          b,
          "When",
          Units.instant(e.firstNanos())
              + (e.lastNanos() > e.firstNanos() ? " to " + Units.instant(e.lastNanos()) : ""));
    }
    Finding.Example x = e.example();
    if (x != null) {
      HtmlFacts.fact(
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
}
