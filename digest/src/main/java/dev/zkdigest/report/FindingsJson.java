package dev.zkdigest.report;

import dev.zkdigest.findings.Finding;
import java.util.List;
import java.util.Locale;

/**
 * The JSON {@code findings} list: per finding its kind, severity, summary, evidence (class, path,
 * clients, sessions, count, first, last, example) and remedy. Times as ISO instants, with the epoch
 * nanoseconds beside them ({@code first_ns}) for tools.
 */
final class FindingsJson {
  private FindingsJson() {}

  static void write(List<Finding> findings, JsonWriter w) {
    w.name("findings").beginArray();
    for (Finding f : findings) {
      Finding.Evidence e = f.evidence();
      w.beginObject();
      w.field("kind", f.kind().jsonName());
      w.field("severity", f.severity().name().toLowerCase(Locale.ROOT));
      w.field("summary", f.summary());
      w.name("evidence").beginObject();
      w.field("class", e.cls());
      w.field("path", e.path());
      w.name("clients").beginArray();
      e.clients().forEach(w::value);
      w.endArray();
      w.name("sessions").beginArray();
      e.sessions().forEach(w::value);
      w.endArray();
      w.field("count", e.count());
      w.field("first", e.firstNanos() != 0 ? Units.instant(e.firstNanos()) : null);
      w.field("last", e.lastNanos() != 0 ? Units.instant(e.lastNanos()) : null);
      w.field("first_ns", e.firstNanos());
      w.field("last_ns", e.lastNanos());
      w.name("example");
      Finding.Example x = e.example();
      if (x == null) {
        w.nullValue();
      } else {
        w.beginObject();
        w.field("time", Units.instant(x.timeNanos()));
        w.field("time_ns", x.timeNanos());
        w.field("client", x.client());
        w.field("session", Units.session(x.session()));
        w.field("xid", x.xid());
        w.endObject();
      }
      w.endObject();
      w.field("remedy", f.remedy());
      w.endObject();
    }
    w.endArray();
  }
}
