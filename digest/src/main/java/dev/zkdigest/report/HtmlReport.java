package dev.zkdigest.report;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.findings.Findings;
import java.io.PrintWriter;
import java.util.List;

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
    HtmlHeader.header(s, b);
    b.append("</header>\n<main>\n");
    HtmlFindings.findings(found, b);
    HtmlTimeline.timeline(s, b);
    List<GroupBy.Row> rows = opts.groupBy().rows(s);
    HtmlProfile.profile(rows, s, opts, b);
    HtmlProfile.topGroups(rows, opts, s, b);
    HtmlTables.clients(s, b);
    HtmlTables.identities(s, b);
    HtmlTables.sessions(s, b);
    HtmlTables.extras(s, b);
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
}
