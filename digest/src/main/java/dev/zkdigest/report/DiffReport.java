package dev.zkdigest.report;

import dev.zkdigest.digest.DigestSnapshot;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** {@code zkdigest diff}: what changed between two reports, for people or machines. */
public final class DiffReport {
  private DiffReport() {}

  /** The two reports' names, for the header. */
  public record Sources(String before, String after) {}

  public static void text(DigestDiff d, Sources src, int limit, PrintWriter out) {
    DigestSnapshot b = d.before();
    DigestSnapshot a = d.after();
    double sb = DigestDiff.seconds(b);
    double sa = DigestDiff.seconds(a);
    out.printf(
        Locale.ROOT,
        "# zkdigest %s: diff of %s (%s) and %s (%s)%n",
        ReportOptions.VERSION,
        src.before(),
        Units.micros(sb * 1e6),
        src.after(),
        Units.micros(sa * 1e6));
    out.printf(
        Locale.ROOT,
        "# Requests/s %s -> %s, errors/s %s -> %s, p99 %s -> %s%n",
        Units.count(b.requests() / sb),
        Units.count(a.requests() / sa),
        Units.count(b.errors() / sb),
        Units.count(a.errors() / sa),
        Units.micros(b.overall().latency().percentile(99)),
        Units.micros(a.overall().latency().percentile(99)));
    long added = d.rows().stream().filter(r -> r.change() == DigestDiff.Change.NEW).count();
    long gone = d.rows().stream().filter(r -> r.change() == DigestDiff.Change.GONE).count();
    out.printf(
        Locale.ROOT,
        "# Classes: %d new, %d gone, %d changed%n",
        added,
        gone,
        d.rows().size() - added - gone);
    out.println("#");
    out.println(
        "# Rank   Impact/s Change   Calls/s before -> after   Errors     p99 before -> after  Class");
    out.println(
        "# ==== ========== ======= ======================== ============= =================== =====");
    List<DigestDiff.Row> rows = d.rows();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      DigestDiff.Row r = rows.get(i);
      out.printf(
          Locale.ROOT,
          "# %4d %10s %-7s %10s -> %-10s %5s -> %-5s %8s -> %-8s  %s%s%n",
          i + 1,
          (r.impactUsPerSecond() >= 0 ? "+" : "-") + Units.micros(Math.abs(r.impactUsPerSecond())),
          r.change().name().toLowerCase(Locale.ROOT),
          r.before().requests() == 0 ? "-" : Units.count(r.before().callsPerSecond()),
          r.after().requests() == 0 ? "-" : Units.count(r.after().callsPerSecond()),
          r.before().requests() == 0 ? "-" : Units.percent(r.before().errorRate()),
          r.after().requests() == 0 ? "-" : Units.percent(r.after().errorRate()),
          r.before().requests() == 0 ? "-" : Units.micros(r.before().p99Us()),
          r.after().requests() == 0 ? "-" : Units.micros(r.after().p99Us()),
          r.cls(),
          r.reasons().isEmpty() ? "" : " (" + String.join(", ", r.reasons()) + ")");
    }
    if (rows.size() > limit) {
      out.printf(Locale.ROOT, "# ... and %d more%n", rows.size() - limit);
    }
    if (rows.isEmpty()) {
      out.println("# No class changed past the thresholds.");
    }
    out.flush();
  }

  public static void json(DigestDiff d, Sources src, PrintWriter out) {
    JsonWriter w = new JsonWriter(out);
    w.beginObject();
    w.field("format", JsonReport.FORMAT);
    w.field("version", ReportOptions.VERSION);
    w.field("kind", "diff");
    side(w, "before", src.before(), d.before());
    side(w, "after", src.after(), d.after());
    w.name("classes").beginArray();
    for (DigestDiff.Row r : d.rows()) {
      w.beginObject();
      w.field("op", r.cls().op().zkName());
      w.field("pattern", r.cls().pattern());
      w.field("change", r.change().name().toLowerCase(Locale.ROOT));
      w.name("reasons").beginArray();
      r.reasons().forEach(w::value);
      w.endArray();
      w.field("impact_us_per_s", r.impactUsPerSecond());
      classSide(w, "before", r.before());
      classSide(w, "after", r.after());
      w.endObject();
    }
    w.endArray();
    w.endObject();
    out.println();
    out.flush();
  }

  private static void side(JsonWriter w, String name, String source, DigestSnapshot s) {
    double seconds = DigestDiff.seconds(s);
    w.name(name).beginObject();
    w.field("report", source);
    w.field("duration_s", seconds);
    w.field("requests", s.requests());
    w.field("errors", s.errors());
    w.field("requests_per_s", s.requests() / seconds);
    w.field("p99_us", s.overall().latency().percentile(99));
    w.endObject();
  }

  private static void classSide(JsonWriter w, String name, DigestDiff.Side s) {
    w.name(name).beginObject();
    w.field("requests", s.requests());
    w.field("calls_per_s", s.callsPerSecond());
    w.field("errors", s.errors());
    w.field("error_rate", s.errorRate());
    w.field("p99_us", s.p99Us());
    w.field("time_us_per_s", s.timePerSecondUs());
    w.endObject();
  }
}
