package dev.zkdigest.budget;

import dev.zkdigest.report.JsonWriter;
import java.io.PrintWriter;
import java.util.Locale;

/** A budget's verdicts for people (lines after a text report) and for machines (JSON). */
public final class BudgetReport {
  private BudgetReport() {}

  /** One line of summary, then one line per rule with its measured value and verdict. */
  public static void text(BudgetResult result, PrintWriter out) {
    out.println();
    out.println("# Budget " + result.budget().source() + ": " + summary(result));
    out.println("# Line Verdict     Measured  Rule");
    for (RuleResult r : result.results()) {
      out.printf(
          Locale.ROOT,
          "# %4d %-9s %10s  %s%s%n",
          r.rule().line(),
          word(r.verdict()),
          r.measuredText(),
          r.rule().text(),
          r.measured().exact() ? "" : " (" + r.measured().inexactBecause() + ")");
    }
    out.flush();
  }

  /** {@code all 7 rules hold}, or {@code 2 of 7 rules broken}. */
  public static String summary(BudgetResult result) {
    int n = result.results().size();
    int failed = result.failed().size();
    String rules = n == 1 ? "rule" : "rules";
    if (failed == 0) {
      return n == 1 ? "the rule holds" : "all " + n + " rules hold";
    }
    return failed + " of " + n + " " + rules + " broken";
  }

  private static String word(Verdict v) {
    return v == Verdict.OK ? "ok" : v.name();
  }

  /**
   * The message of a failed assertion: the budget, each failed rule with its line and measured
   * value, and where the report is.
   */
  public static String failureMessage(BudgetResult result, String reportPath) {
    StringBuilder m = new StringBuilder();
    m.append("zkdigest budget ")
        .append(result.budget().source())
        .append(": ")
        .append(summary(result));
    for (RuleResult r : result.failed()) {
      m.append(System.lineSeparator())
          .append("  line ")
          .append(r.rule().line())
          .append(": ")
          .append(r.rule().text())
          .append(": measured ")
          .append(r.measuredText());
      if (r.verdict() == Verdict.UNDECIDED) {
        m.append(", undecided: ").append(r.measured().inexactBecause());
      } else if (!r.measured().exact()) {
        m.append(" (").append(r.measured().inexactBecause()).append(')');
      }
    }
    if (reportPath != null) {
      m.append(System.lineSeparator()).append("report: ").append(reportPath);
    }
    return m.toString();
  }

  /** The report's {@code budget} section: a name then an object. */
  public static void json(BudgetResult result, JsonWriter w) {
    w.name("budget").beginObject();
    w.field("file", result.budget().source());
    w.field("passed", result.passed());
    w.field("broken", result.results().stream().filter(r -> r.verdict() == Verdict.BROKEN).count());
    w.field(
        "undecided",
        result.results().stream().filter(r -> r.verdict() == Verdict.UNDECIDED).count());
    w.name("rules").beginArray();
    for (RuleResult r : result.results()) {
      Quantity q = r.rule().quantity();
      w.beginObject();
      w.field("line", r.rule().line());
      w.field("rule", r.rule().text());
      w.field("metric", q.metric());
      w.field("target", q.target());
      w.field("comparison", r.rule().comparison().symbol());
      w.field("limit", r.rule().limit());
      w.field("unit", q.unit().jsonName());
      w.field("measured", r.measured().low());
      w.field("measured_max", r.measured().high());
      w.field("exact", r.measured().exact());
      if (!r.measured().exact()) {
        w.field("inexact_because", r.measured().inexactBecause());
      }
      w.field("verdict", r.verdict().jsonName());
      w.endObject();
    }
    w.endArray();
    w.endObject();
  }
}
