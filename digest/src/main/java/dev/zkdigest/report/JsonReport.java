package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.digest.Timeline;
import dev.zkdigest.findings.Findings;
import dev.zkdigest.protocol.Op;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The report for machines. Format 1 is a contract: keys may be added, never renamed or removed.
 * Besides what people read, it carries what {@code zkdigest merge} needs to combine reports
 * exactly: every latency histogram (HdrHistogram's compressed encoding, base64), the per-class
 * client counts, the distinct-session sketch and the caps in force ({@link JsonReportReader}).
 */
public final class JsonReport {
  public static final int FORMAT = 1;

  private JsonReport() {}

  public static void render(DigestSnapshot s, ReportOptions opts, PrintWriter out) {
    render(s, opts, out, w -> {});
  }

  /**
   * The report with sections of the caller's after the standard ones (a budget's verdicts): {@code
   * extra} writes names and values into the report's top-level object.
   */
  public static void render(
      DigestSnapshot s, ReportOptions opts, PrintWriter out, Consumer<JsonWriter> extra) {
    JsonWriter w = new JsonWriter(out);
    w.beginObject();
    w.field("format", FORMAT);
    w.field("version", ReportOptions.VERSION);
    w.name("source").beginObject().field("mode", opts.mode()).name("inputs").beginArray();
    opts.inputs().forEach(w::value);
    w.endArray().endObject();
    summary(s, w);
    FindingsJson.write(Findings.detect(s, opts.thresholds()), w);
    ops(s, w);
    events(s, w);
    w.name("multi_sub_ops").beginObject();
    s.multiSubOps().forEach(w::field);
    w.endObject();
    w.name("multi_sub_results").beginObject();
    s.multiSubResults()
        .forEach(
            (op, byCode) -> {
              w.name(op).beginObject();
              byCode.forEach(w::field);
              w.endObject();
            });
    w.endObject();
    w.name("four_letter_words").beginObject();
    s.fourLetterWords().forEach((k, v) -> w.field(k, v.count()));
    w.endObject();
    w.name("four_letter_answer_bytes").beginObject();
    s.fourLetterWords().forEach((k, v) -> w.field(k, v.answerBytes()));
    w.endObject();
    classes(s, opts, w);
    clients(s, w);
    if (!s.sessionsById().isEmpty()) {
      sessions(s, w);
    }
    paths(s, w);
    identities(s, w);
    timeline(s, w);
    w.name("decode_error_reasons").beginObject();
    s.decodeErrorReasons().forEach(w::field);
    w.endObject();
    w.name("ignored").beginObject();
    s.ignored()
        .forEach(
            (server, v) ->
                w.name(server)
                    .beginObject()
                    .field("flows", v.flows())
                    .field("bytes", v.bytes())
                    .endObject());
    w.endObject();
    w.name("capture").beginObject();
    s.frontEnd().forEach(w::field);
    w.endObject();
    mergeable(s, w);
    UsageJson.write(s.usage(), w);
    extra.accept(w);
    w.endObject();
    out.println();
    out.flush();
  }

  private static void summary(DigestSnapshot s, JsonWriter w) {
    double seconds = Math.max(0, s.lastNanos() - s.firstNanos()) / 1e9;
    w.name("summary").beginObject();
    w.field("first_seen", s.firstNanos() != 0 ? Units.instant(s.firstNanos()) : null);
    w.field("last_seen", s.lastNanos() != 0 ? Units.instant(s.lastNanos()) : null);
    w.field("duration_s", seconds);
    w.field("connections", s.connections());
    w.field("sessions", s.sessions());
    w.field("clients", s.clients());
    for (Counter c : Counter.values()) {
      if (c != Counter.CONNECTIONS) {
        w.field(c.json(), s.counter(c));
      }
    }
    w.field("classes_overflowed", s.classesOverflowed());
    w.field("sessions_estimated", s.sessionIds().overflowed());
    w.field("clients_estimated", s.clientsOverflowed());
    w.field("first_seen_ns", s.firstNanos());
    w.field("last_seen_ns", s.lastNanos());
    w.endObject();
  }

  private static void ops(DigestSnapshot s, JsonWriter w) {
    w.name("ops").beginObject();
    for (Map.Entry<Op, GroupStats> e : s.ops().entrySet()) {
      w.name(e.getKey().zkName()).beginObject();
      statsFields(w, e.getValue());
      w.endObject();
    }
    w.endObject();
  }

  private static void events(DigestSnapshot s, JsonWriter w) {
    w.name("events").beginObject();
    s.eventsByType().forEach(w::field);
    w.endObject();
    w.name("event_patterns").beginObject();
    s.eventPatterns().forEach((k, v) -> w.field(k.toString(), v));
    w.endObject();
  }

  private static void classes(DigestSnapshot s, ReportOptions opts, JsonWriter w) {
    long totalUs = 0;
    for (GroupStats st : s.classes().values()) {
      totalUs += st.latencySumUs();
    }
    List<Map.Entry<ClassKey, GroupStats>> classes = byTimeSpent(s.classes());
    w.name("classes").beginArray();
    for (Map.Entry<ClassKey, GroupStats> e : classes) {
      GroupStats st = e.getValue();
      w.beginObject();
      w.field("op", e.getKey().op().zkName());
      w.field("pattern", e.getKey().pattern());
      statsFields(w, st);
      w.field("time_share", totalUs > 0 ? (double) st.latencySumUs() / totalUs : 0.0);
      ClassFacts facts = ClassFacts.of(s, e.getKey(), st, opts.slowUs());
      w.field("qps", facts.qps());
      w.field("concurrency", facts.concurrency());
      if (opts.slowUs() > 0) {
        w.field("slow_us", opts.slowUs());
        w.field("slow", facts.slow());
      }
      w.name("slowest");
      if (facts.slowest() == null) {
        w.nullValue();
      } else {
        w.beginObject();
        w.field("latency_us", facts.slowestUs());
        w.field("time", Units.instant(facts.slowest().timeNanos()));
        w.field("time_ns", facts.slowest().timeNanos());
        w.field("client", facts.slowest().client());
        w.field("session", Units.session(facts.slowest().session()));
        w.field("xid", facts.slowest().xid());
        w.endObject();
      }
      w.name("clients").beginObject();
      s.topClients(e.getKey(), st).forEach(c -> w.field(c.getKey(), c.getValue()));
      w.endObject();
      w.endObject();
    }
    w.endArray();
  }

  /**
   * Classes by total response time, then requests, most first, then by op name and pattern (the
   * order of "op pattern", without making the strings). One comparator over plain fields: the chain
   * of key extractors it replaces was a tenth of rendering 100,000 classes.
   */
  private static List<Map.Entry<ClassKey, GroupStats>> byTimeSpent(Map<ClassKey, GroupStats> all) {
    @SuppressWarnings("unchecked")
    Map.Entry<ClassKey, GroupStats>[] rows = all.entrySet().toArray(new Map.Entry[0]);
    Arrays.sort(
        rows,
        (a, b) -> {
          GroupStats x = a.getValue();
          GroupStats y = b.getValue();
          int c = Long.compare(y.latencySumUs(), x.latencySumUs());
          if (c == 0) {
            c = Long.compare(y.requests(), x.requests());
          }
          if (c == 0) {
            c = a.getKey().op().zkName().compareTo(b.getKey().op().zkName());
          }
          return c != 0 ? c : a.getKey().pattern().compareTo(b.getKey().pattern());
        });
    return Arrays.asList(rows);
  }

  private static void clients(DigestSnapshot s, JsonWriter w) {
    w.name("clients").beginArray();
    List<Map.Entry<String, GroupStats>> clients = Rows.busiestFirst(s.clientsByAddress());
    for (Map.Entry<String, GroupStats> e : clients) {
      GroupStats st = e.getValue();
      w.beginObject();
      w.field("address", e.getKey());
      groupRowFields(w, st);
      w.endObject();
    }
    w.endArray();
  }

  /** Per authenticated identity, busiest first: the shape of {@code clients}, never a password. */
  private static void identities(DigestSnapshot s, JsonWriter w) {
    w.name("identities").beginArray();
    List<Map.Entry<String, GroupStats>> ids = Rows.busiestFirst(s.identities());
    for (Map.Entry<String, GroupStats> e : ids) {
      GroupStats st = e.getValue();
      int colon = e.getKey().indexOf(':');
      w.beginObject();
      w.field("identity", e.getKey());
      w.field("scheme", colon > 0 ? e.getKey().substring(0, colon) : null);
      w.field("user", colon > 0 ? e.getKey().substring(colon + 1) : e.getKey());
      groupRowFields(w, st);
      w.endObject();
    }
    w.endArray();
  }

  /**
   * Every bucket from the first to the last (empty ones included, so charts need no gap logic):
   * counts, latency percentiles of the bucket's requests, and per class the same.
   */
  private static void timeline(DigestSnapshot s, JsonWriter w) {
    Timeline t = s.timeline();
    w.name("timeline").beginObject();
    w.field("bucket_ns", t.widthNanos());
    w.field("bucket_s", t.widthNanos() / 1e9);
    w.name("buckets").beginArray();
    for (Timeline.Bucket b : t.buckets()) {
      w.beginObject();
      w.field("start", Units.instant(b.startNanos()));
      w.field("start_ns", b.startNanos());
      w.field("requests", b.requests());
      w.field("responses", b.responses());
      w.field("errors", b.errors());
      Latency.Summary l = b.latency().summary();
      w.field("p50_us", l.p50());
      w.field("p99_us", l.p99());
      w.field("max_us", l.max());
      w.field("latency_histogram", b.latency().encode());
      w.name("classes").beginArray();
      b.classes()
          .forEach(
              (k, p) -> {
                w.beginObject();
                w.field("op", k.op().zkName());
                w.field("pattern", k.pattern());
                w.field("requests", p.requests());
                w.field("errors", p.errors());
                w.field("p99_us", p.latency().percentile(99));
                w.field("latency_histogram", p.latency().encode());
                w.endObject();
              });
      w.endArray();
      w.endObject();
    }
    w.endArray();
    w.endObject();
  }

  private static void paths(DigestSnapshot s, JsonWriter w) {
    List<Map.Entry<DigestSnapshot.PathKey, DigestSnapshot.PathStats>> paths =
        new ArrayList<>(s.paths().entrySet());
    paths.sort(
        Comparator.comparingLong(
                (Map.Entry<DigestSnapshot.PathKey, DigestSnapshot.PathStats> e) ->
                    e.getValue().requests())
            .reversed()
            .thenComparing(e -> e.getKey().op().zkName())
            .thenComparing(e -> e.getKey().path()));
    w.name("paths").beginArray();
    for (var e : paths) {
      w.beginObject();
      w.field("op", e.getKey().op().zkName());
      w.field("path", e.getKey().path());
      w.field("requests", e.getValue().requests());
      w.field("errors", e.getValue().errors());
      w.field("request_bytes", e.getValue().requestBytes());
      w.field("response_bytes", e.getValue().responseBytes());
      w.field("bad_versions", e.getValue().badVersions());
      w.endObject();
    }
    w.endArray();
  }

  private static void sessions(DigestSnapshot s, JsonWriter w) {
    w.name("sessions").beginArray();
    for (Map.Entry<Long, GroupStats> e : Rows.busiestFirst(s.sessionsById())) {
      GroupStats st = e.getValue();
      w.beginObject();
      w.field(
          "session",
          e.getKey() == DigestSnapshot.OTHER_SESSION ? Digest.OTHER : Units.session(e.getKey()));
      groupRowFields(w, st);
      w.endObject();
    }
    w.endArray();
  }

  /** What only merging needs: the pairs behind the top clients, the session sketch, the caps. */
  private static void mergeable(DigestSnapshot s, JsonWriter w) {
    w.field("request_size_histogram", s.requestSizes().encode());
    w.field("response_size_histogram", s.responseSizes().encode());
    w.name("class_client_pairs").beginArray();
    for (DigestSnapshot.Pair p : s.pairs()) {
      w.beginObject();
      w.field("op", p.op().zkName());
      w.field("class_hash", Long.toHexString(p.classHash()));
      w.field("client", p.client());
      w.field("requests", p.requests());
      w.endObject();
    }
    w.endArray();
    w.name("session_ids_sketch").beginObject();
    long[] hashes = s.sessionIds().hashes();
    ByteBuffer buf = ByteBuffer.allocate(hashes.length * Long.BYTES);
    buf.asLongBuffer().put(hashes);
    w.field("hashes", Base64.getEncoder().encodeToString(buf.array()));
    w.field("overflowed", s.sessionIds().overflowed());
    w.endObject();
    Digest.Limits l = s.limits();
    w.name("limits").beginObject();
    w.field("classes", l.classes());
    w.field("clients", l.clients());
    w.field("sessions", l.sessions());
    w.field("event_patterns", l.eventPatterns());
    w.field("pairs", l.pairs());
    w.field("session_ids", l.sessionIds());
    w.field("decode_reasons", l.decodeReasons());
    w.field("ignored_servers", l.ignoredServers());
    w.field("paths", l.paths());
    w.field("identities", l.identities());
    w.field("timeline_bucket_ns", l.timeline().bucketNanos());
    w.field("timeline_buckets", l.timeline().maxBuckets());
    w.field("timeline_classes", l.timeline().classes());
    w.endObject();
  }

  /** The fields every row of those tables has after its key, in the order merge reads them. */
  private static void groupRowFields(JsonWriter w, GroupStats st) {
    w.field("connections", st.connections());
    w.field("requests", st.requests());
    w.field("errors", st.errors());
    w.field("responses", st.responses());
    w.field("latency_sum_us", st.latencySumUs());
    w.field("request_bytes", st.requestBytes());
    w.field("response_bytes", st.responseBytes());
    errorsByName(w, "errors_by_code", st);
    w.field("latency_histogram", st.latency().encode());
  }

  private static void errorsByName(JsonWriter w, String name, GroupStats st) {
    w.name(name).beginObject();
    st.errorsByName().forEach(w::field);
    w.endObject();
  }

  private static void statsFields(JsonWriter w, GroupStats st) {
    w.field("requests", st.requests());
    w.field("responses", st.responses());
    errorsByName(w, "errors", st);
    Latency h = st.latency();
    Latency.Summary l = h.summary();
    w.name("latency_us").beginObject();
    w.field("min", l.min());
    w.field("p50", l.p50());
    w.field("p95", l.p95());
    w.field("p99", l.p99());
    w.field("p999", l.p999());
    w.field("max", l.max());
    w.field("mean", l.mean());
    w.field("sum", st.latencySumUs());
    w.endObject();
    w.field("request_bytes", st.requestBytes());
    w.field("response_bytes", st.responseBytes());
    w.field("latency_histogram", h.encode());
  }
}
