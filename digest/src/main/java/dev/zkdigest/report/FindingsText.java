package dev.zkdigest.report;

import dev.zkdigest.findings.Finding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text report's {@code # Findings} section: what to fix first, in words, with evidence. */
final class FindingsText {
  private FindingsText() {}

  static void render(List<Finding> findings, PrintWriter out) {
    if (findings.isEmpty()) {
      out.println("# Findings: none");
      out.println();
      return;
    }
    out.println("# Findings");
    for (Finding f : findings) {
      out.printf(
          Locale.ROOT, "# %-8s %s: %s%n", f.severity().name(), f.kind().jsonName(), f.summary());
      Finding.Evidence e = f.evidence();
      List<String> parts = new ArrayList<>();
      if (e.cls() != null) {
        parts.add("class " + e.cls());
      }
      if (e.path() != null) {
        parts.add("path " + e.path());
      }
      if (!e.clients().isEmpty()) {
        parts.add("clients " + String.join(" ", e.clients()));
      }
      if (!e.sessions().isEmpty()) {
        parts.add("sessions " + String.join(" ", e.sessions()));
      }
      if (e.firstNanos() != 0) {
        parts.add(Units.instant(e.firstNanos()) + " to " + Units.instant(e.lastNanos()));
      }
      out.println("#          evidence: " + String.join("; ", parts));
      Finding.Example x = e.example();
      if (x != null) {
        out.printf(
            Locale.ROOT,
            "#          example: %s client %s session %s xid %d%n",
            Units.instant(x.timeNanos()),
            x.client(),
            Units.session(x.session()),
            x.xid());
      }
      out.println("#          remedy: " + f.remedy());
    }
    out.println();
  }
}
