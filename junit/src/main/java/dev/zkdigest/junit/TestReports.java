package dev.zkdigest.junit;

import dev.zkdigest.budget.BudgetReport;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.report.GroupBy;
import dev.zkdigest.report.HtmlReport;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a report per test, {@code <dir>/<class>/<method>.txt}, {@code .json} and {@code .html},
 * and per class ({@code class.txt}, a name no method can have), each replaced atomically.
 */
final class TestReports {
  /** Detail blocks in a test's report: its few busiest classes. */
  private static final int TOP = 10;

  private final Path dir;

  TestReports(Path dir) {
    this.dir = dir;
  }

  /** The report's text file for a class directory and a file name without extension. */
  Path textFile(String className, String name) {
    return dir.resolve(safe(className)).resolve(safe(name) + ".txt");
  }

  /** Renders the text report (with any budget verdicts after it). */
  static String text(DigestSnapshot s, String input, List<BudgetResult> budgets) {
    StringWriter out = new StringWriter();
    PrintWriter pw = new PrintWriter(out);
    TextReport.render(s, options(input), pw);
    for (BudgetResult b : budgets) {
      BudgetReport.text(b, pw);
    }
    pw.flush();
    return out.toString();
  }

  /** Writes both reports; returns the text one's path. */
  Path write(
      String className, String name, DigestSnapshot s, String input, List<BudgetResult> budgets) {
    Path txt = textFile(className, name);
    Path json = txt.resolveSibling(safe(name) + ".json");
    try {
      Files.createDirectories(txt.getParent());
      atomically(txt, text(s, input, budgets));
      StringWriter out = new StringWriter();
      BudgetResult last = budgets.isEmpty() ? null : budgets.get(budgets.size() - 1);
      JsonReport.render(
          s,
          options(input),
          new PrintWriter(out),
          w -> {
            if (last != null) {
              BudgetReport.json(last, w);
            }
          });
      atomically(json, out.toString());
      // The page to open from a CI artifact: findings, charts and sortable tables.
      StringWriter page = new StringWriter();
      HtmlReport.render(s, options(input), budgetSections(budgets), new PrintWriter(page));
      atomically(txt.resolveSibling(safe(name) + ".html"), page.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("zkdigest: cannot write the report " + txt, e);
    }
    return txt;
  }

  /** Each budget's verdict as the text report prints it, one section of the page. */
  private static List<HtmlReport.Section> budgetSections(List<BudgetResult> budgets) {
    List<HtmlReport.Section> sections = new ArrayList<>();
    for (BudgetResult b : budgets) {
      StringWriter text = new StringWriter();
      PrintWriter pw = new PrintWriter(text);
      BudgetReport.text(b, pw);
      pw.flush();
      sections.add(new HtmlReport.Section("budget-" + sections.size(), "Budget", text.toString()));
    }
    return sections;
  }

  private static ReportOptions options(String input) {
    return new ReportOptions("junit", List.of(input), TOP, GroupBy.PATTERN);
  }

  private static void atomically(Path target, String content) throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".zkdigest-", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        w.write(content);
      }
      if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
        // A temporary file is private; a report is read by CI's artifact upload and by people.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** A file name from a class or method name: what file systems and CI artifact stores accept. */
  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9._$\\[\\]-]", "_");
  }

  /** A path as people should read it: relative to the working directory when under it. */
  static String show(Path p) {
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }
}
