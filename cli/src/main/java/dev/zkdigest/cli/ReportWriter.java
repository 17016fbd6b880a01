package dev.zkdigest.cli;

import dev.zkdigest.budget.BudgetReport;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.quorum.QuorumJson;
import dev.zkdigest.report.HtmlReport;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Renders a digest in the chosen format, to the command's output or atomically to a file. */
final class ReportWriter {
  private ReportWriter() {}

  static void write(
      DigestSnapshot digest, ReportOptions opts, OutputOptions out, PrintWriter stdout)
      throws IOException {
    write(digest, opts, out, stdout, ReportExtras.NONE);
  }

  /** The report with its optional sections (quorum, a budget's verdicts). */
  static void write(
      DigestSnapshot digest,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter stdout,
      ReportExtras extras)
      throws IOException {
    atomically(out.output, stdout, pw -> render(digest, opts, out, pw, extras));
  }

  /** Something that renders to a writer. */
  interface Rendering {
    void to(PrintWriter out);
  }

  /** Renders to {@code stdout}, or to {@code file} atomically (a temporary file, then a rename). */
  static void atomically(Path file, PrintWriter stdout, Rendering r) throws IOException {
    if (file == null) {
      r.to(stdout);
      stdout.flush();
      return;
    }
    Path target = file.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, ".zkdigest-", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          PrintWriter pw = new PrintWriter(w)) {
        r.to(pw);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void render(DigestSnapshot d, ReportOptions opts, OutputOptions out, PrintWriter pw) {
    render(d, opts, out, pw, ReportExtras.NONE);
  }

  /**
   * An interval's report: as the final one, but in text when that is HTML, since the intervals
   * follow each other on one stream and an HTML page is a file of its own.
   */
  static void renderInterval(
      DigestSnapshot d, ReportOptions opts, OutputOptions out, PrintWriter pw) {
    if (out.format == OutputOptions.Format.html) {
      TextReport.render(d, opts, pw);
    } else {
      render(d, opts, out, pw);
    }
  }

  /** The quorum digest and a budget's verdicts, as the text report words them. */
  private static List<HtmlReport.Section> htmlSections(ReportExtras extras) {
    List<HtmlReport.Section> sections = new ArrayList<>();
    if (extras.quorum() != null && !extras.quorum().isEmpty()) {
      StringWriter q = new StringWriter();
      QuorumReport.text(extras.quorum(), new PrintWriter(q));
      sections.add(new HtmlReport.Section("quorum", "Quorum", q.toString()));
    }
    if (extras.budget() != null) {
      StringWriter v = new StringWriter();
      BudgetReport.text(extras.budget(), new PrintWriter(v));
      sections.add(new HtmlReport.Section("budget", "Budget", v.toString()));
    }
    return sections;
  }

  static void render(
      DigestSnapshot d,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter pw,
      ReportExtras extras) {
    if (out.format == OutputOptions.Format.html) {
      HtmlReport.render(d, opts, htmlSections(extras), pw);
    } else if (out.format == OutputOptions.Format.json) {
      JsonReport.render(
          d,
          opts,
          pw,
          w -> {
            // Always there when the mode decodes quorum traffic, so machines need not guess.
            if (extras.quorum() != null) {
              StringWriter q = new StringWriter();
              QuorumJson.render(extras.quorum(), new PrintWriter(q));
              w.name("quorum").rawValue(q.toString());
            }
            if (extras.budget() != null) {
              BudgetReport.json(extras.budget(), w);
            }
          });
    } else {
      TextReport.render(d, opts, pw);
      QuorumReport.text(extras.quorum(), pw);
      if (extras.budget() != null) {
        BudgetReport.text(extras.budget(), pw);
      }
    }
  }
}
