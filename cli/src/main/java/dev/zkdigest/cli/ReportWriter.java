package dev.zkdigest.cli;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.quorum.QuorumJson;
import dev.zkdigest.quorum.QuorumSnapshot;
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
import java.util.LinkedHashMap;
import java.util.Map;

/** Renders a digest in the chosen format, to the command's output or atomically to a file. */
final class ReportWriter {
  private ReportWriter() {}

  static void write(
      DigestSnapshot digest, ReportOptions opts, OutputOptions out, PrintWriter stdout)
      throws IOException {
    write(digest, null, opts, out, stdout);
  }

  /** The report with its quorum section ({@code quorum} null: a front end that has none). */
  static void write(
      DigestSnapshot digest,
      QuorumSnapshot quorum,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter stdout)
      throws IOException {
    atomically(out.output, stdout, pw -> render(digest, quorum, opts, out, pw));
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
    render(d, null, opts, out, pw);
  }

  static void render(
      DigestSnapshot d,
      QuorumSnapshot quorum,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter pw) {
    if (out.format == OutputOptions.Format.json) {
      Map<String, String> sections = new LinkedHashMap<>();
      // Always there when the mode decodes quorum traffic, so machines need not guess.
      if (quorum != null) {
        StringWriter q = new StringWriter();
        QuorumJson.render(quorum, new PrintWriter(q));
        sections.put("quorum", q.toString());
      }
      JsonReport.render(d, opts, pw, sections);
    } else {
      TextReport.render(d, opts, pw);
      QuorumReport.text(quorum, pw);
    }
  }
}
