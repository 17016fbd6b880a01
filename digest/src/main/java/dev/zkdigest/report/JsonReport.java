package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Stats;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;

/** The report for machines. Format 1 is a contract: keys may be added, never renamed or removed. */
public final class JsonReport {
  public static final int FORMAT = 1;

  private JsonReport() {}

  public static void render(Digest digest, ReportOptions opts, PrintWriter out) {
    synchronized (digest) {
      renderLocked(digest.snapshot(), opts, new JsonWriter(out));
    }
    out.println();
    out.flush();
  }

  private static void renderLocked(Digest.Snapshot s, ReportOptions opts, JsonWriter w) {
    w.beginObject();
    w.field("format", FORMAT);
    w.field("version", ReportOptions.VERSION);
    w.name("source").beginObject().field("mode", opts.mode()).name("inputs").beginArray();
    opts.inputs().forEach(w::value);
    w.endArray().endObject();

    double seconds = Math.max(0, s.lastNanos() - s.firstNanos()) / 1e9;
    w.name("summary").beginObject();
    w.field("first_seen", s.firstNanos() != 0 ? Units.instant(s.firstNanos()) : null);
    w.field("last_seen", s.lastNanos() != 0 ? Units.instant(s.lastNanos()) : null);
    w.field("duration_s", seconds);
    w.field("connections", s.connections());
    w.field("sessions", s.sessions());
    w.field("clients", s.clients());
    w.field("requests", s.requests());
    w.field("responses", s.responses());
    w.field("events", s.events());
    w.field("errors", s.errors());
    w.field("bytes_from_clients", s.bytesFromClients());
    w.field("bytes_from_servers", s.bytesFromServers());
    w.field("unmatched_responses", s.unmatched());
    w.field("pending_requests", s.pending());
    w.field("decode_errors", s.decodeErrors());
    w.field("skipped_bytes", s.skippedBytes());
    w.field("four_letter_words", s.fourLetterWords());
    w.field("open_connections", s.openConnections());
    w.field("classes_overflowed", s.classesOverflowed());
    w.endObject();

    w.name("ops").beginObject();
    for (Map.Entry<Op, Stats> e : s.ops().entrySet()) {
      w.name(e.getKey().zkName());
      stats(w, e.getValue());
    }
    w.endObject();

    w.name("events").beginObject();
    s.eventsByType().forEach((k, v) -> w.field(k, v));
    w.endObject();
    w.name("event_patterns").beginObject();
    s.eventsByPattern().forEach((k, v) -> w.field(k, v));
    w.endObject();
    w.name("multi_sub_ops").beginObject();
    s.multiSubOps().forEach((k, v) -> w.field(k, v));
    w.endObject();

    w.name("four_letter_words").beginObject();
    s.fourLetter().forEach((k, v) -> w.field(k, v[0]));
    w.endObject();
    w.name("four_letter_answer_bytes").beginObject();
    s.fourLetter().forEach((k, v) -> w.field(k, v[1]));
    w.endObject();

    long totalUs = 0;
    for (Stats st : s.classes().values()) {
      totalUs += st.latencySumUs();
    }
    List<Map.Entry<ClassKey, Stats>> classes = new ArrayList<>(s.classes().entrySet());
    classes.sort(
        Comparator.comparingLong((Map.Entry<ClassKey, Stats> e) -> e.getValue().latencySumUs())
            .thenComparingLong(e -> e.getValue().requests())
            .reversed()
            // By op name, then pattern: the order of "op pattern", without making the strings.
            .thenComparing(e -> e.getKey().op().zkName())
            .thenComparing(e -> e.getKey().pattern()));
    w.name("classes").beginArray();
    for (Map.Entry<ClassKey, Stats> e : classes) {
      Stats st = e.getValue();
      w.beginObject();
      w.field("op", e.getKey().op().zkName());
      w.field("pattern", e.getKey().pattern());
      statsFields(w, st);
      w.field("time_share", totalUs > 0 ? (double) st.latencySumUs() / totalUs : 0.0);
      w.name("clients").beginObject();
      s.topClients(st).forEach(c -> w.field(c.getKey(), c.getValue()));
      w.endObject();
      w.endObject();
    }
    w.endArray();

    w.name("clients").beginArray();
    List<Map.Entry<String, Stats>> clients = new ArrayList<>(s.clientsByAddress().entrySet());
    clients.sort(
        Comparator.comparingLong((Map.Entry<String, Stats> e) -> e.getValue().requests())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    for (Map.Entry<String, Stats> e : clients) {
      Stats st = e.getValue();
      w.beginObject();
      w.field("address", e.getKey());
      w.field("connections", st.connections());
      w.field("requests", st.requests());
      w.field("errors", st.errors());
      w.field("responses", st.responses());
      w.field("latency_sum_us", st.latencySumUs());
      w.endObject();
    }
    w.endArray();

    w.name("decode_error_reasons").beginObject();
    s.decodeErrorReasons().forEach((k, v) -> w.field(k, v));
    w.endObject();
    w.name("capture").beginObject();
    s.captureStats().forEach((k, v) -> w.field(k, v));
    w.endObject();
    w.endObject();
  }

  private static void stats(JsonWriter w, Stats st) {
    w.beginObject();
    statsFields(w, st);
    w.endObject();
  }

  private static void statsFields(JsonWriter w, Stats st) {
    w.field("requests", st.requests());
    w.field("responses", st.responses());
    w.name("errors").beginObject();
    st.errorsByCode().forEach((code, n) -> w.field(KeeperErrors.name(code), n));
    w.endObject();
    AbstractHistogram h = st.latencyUs();
    boolean any = h.getTotalCount() > 0;
    w.name("latency_us").beginObject();
    w.field("min", any ? h.getMinValue() : 0);
    w.field("p50", any ? h.getValueAtPercentile(50) : 0);
    w.field("p95", any ? h.getValueAtPercentile(95) : 0);
    w.field("p99", any ? h.getValueAtPercentile(99) : 0);
    w.field("p999", any ? h.getValueAtPercentile(99.9) : 0);
    w.field("max", any ? h.getMaxValue() : 0);
    w.field("mean", any ? h.getMean() : 0.0);
    w.field("sum", st.latencySumUs());
    w.endObject();
    w.field("request_bytes", st.requestBytes());
    w.field("response_bytes", st.responseBytes());
  }
}
