package dev.zkdigest.cli;

import dev.zkdigest.budget.BudgetReport;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.digest.DigestSnapshot;
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

  static void write(
      DigestSnapshot digest, ReportOptions opts, OutputOptions out, PrintWriter stdout)
      throws IOException {
    write(digest, opts, out, stdout, null);
  }

  /** The report with a budget's verdicts at its end (text) or in its {@code budget} section. */
  static void write(
      DigestSnapshot digest,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter stdout,
      BudgetResult budget)
      throws IOException {
    atomically(out.output, stdout, pw -> render(digest, opts, out, pw, budget));
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
    render(d, opts, out, pw, null);
  }

  static void render(
      DigestSnapshot d,
      ReportOptions opts,
      OutputOptions out,
      PrintWriter pw,
      BudgetResult budget) {
    if (out.format == OutputOptions.Format.json) {
      JsonReport.render(
          d,
          opts,
          pw,
          w -> {
            if (budget != null) {
              BudgetReport.json(budget, w);
            }
          });
    } else {
      TextReport.render(d, opts, pw);
      if (budget != null) {
        BudgetReport.text(budget, pw);
      }
    }
  }
}
