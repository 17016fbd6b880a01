package dev.zkdigest.cli;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.quorum.QuorumSnapshot;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Renders a digest in the chosen format, to the command's output or atomically to a file. */
final class ReportWriter {
  private ReportWriter() {}

  static void write(Digest digest, ReportOptions opts, OutputOptions out, PrintWriter stdout)
      throws IOException {
    write(digest, null, opts, out, stdout);
  }

  /** The report with its quorum section ({@code quorum} null: a front end that has none). */
  static void write(
      Digest digest,
      QuorumSnapshot quorum,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter stdout)
      throws IOException {
    if (out.output == null) {
      render(digest, quorum, opts, out, stdout);
      return;
    }
    Path target = out.output.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, ".zkdigest-", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          PrintWriter pw = new PrintWriter(w)) {
        render(digest, quorum, opts, out, pw);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  static void render(Digest d, ReportOptions opts, OutputOptions out, PrintWriter pw) {
    render(d, null, opts, out, pw);
  }

  static void render(
      Digest d, QuorumSnapshot quorum, ReportOptions opts, OutputOptions out, PrintWriter pw) {
    if (out.format == OutputOptions.Format.json) {
      if (quorum == null) {
        JsonReport.render(d, opts, pw);
      } else {
        QuorumReport.JsonTail tail = new QuorumReport.JsonTail(pw, quorum);
        JsonReport.render(d, opts, new PrintWriter(tail));
        tail.finish();
      }
    } else {
      TextReport.render(d, opts, pw);
      QuorumReport.text(quorum, pw);
    }
  }
}
