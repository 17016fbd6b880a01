package dev.zkdigest.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.digest.Timeline;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a JSON report ({@link JsonReport}, format 1) back into a snapshot, for {@code zkdigest
 * merge} and {@code diff}. A report written before histograms were added, or by another tool, is
 * refused with one line saying what it lacks.
 */
public final class JsonReportReader {
  /** What was read: the snapshot and where the report came from. */
  public record Read(DigestSnapshot snapshot, String mode, List<String> inputs) {}

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** How the JSON report names session 0, the requests whose handshake was not seen. */
  private static final String NO_SESSION = "-";

  private JsonReportReader() {}

  /**
   * @throws IllegalArgumentException with a one-line reason when the text is not a zkdigest JSON
   *     report of a format this version reads
   */
  public static Read read(Reader in) throws IOException {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ")");
    }
    if (root == null || !root.isObject() || !root.has("format") || !root.has("summary")) {
      throw new IllegalArgumentException("not a zkdigest JSON report");
    }
    if (root.get("format").asInt() != JsonReport.FORMAT) {
      throw new IllegalArgumentException(
          "report format " + root.get("format").asText() + " is not one this version reads");
    }
    if (!root.has("limits") || !root.has("class_client_pairs")) {
      throw new IllegalArgumentException(
          "the report has no histograms to merge (written by zkdigest before 0.2?)");
    }
    try {
      return new Read(
          snapshot(root),
          root.path("source").path("mode").asText(""),
          texts(root.path("source").path("inputs")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("malformed report: " + e.getMessage(), e);
    }
  }

  private static DigestSnapshot snapshot(JsonNode root) {
    JsonNode l = root.get("limits");
    Digest.Limits limits =
        new Digest.Limits(
            l.get("classes").asInt(),
            l.get("clients").asInt(),
            l.get("sessions").asInt(),
            l.get("event_patterns").asInt(),
            l.get("pairs").asInt(),
            l.get("session_ids").asInt(),
            l.get("decode_reasons").asInt(),
            l.get("ignored_servers").asInt(),
            l.path("paths").asInt(Digest.Limits.DEFAULTS.paths()),
            l.path("identities").asInt(Digest.Limits.DEFAULTS.identities()),
            new Timeline.Spec(
                l.path("timeline_bucket_ns").asLong(0),
                l.path("timeline_buckets").asInt(Timeline.Spec.DEFAULTS.maxBuckets()),
                l.path("timeline_classes").asInt(Timeline.Spec.DEFAULTS.classes())));
    DigestSnapshot.Builder b = new DigestSnapshot.Builder(limits);
    JsonNode summary = root.get("summary");
    long first = summary.path("first_seen_ns").asLong(0);
    long last = summary.path("last_seen_ns").asLong(0);
    if (first != 0 || last != 0) {
      b.seen(first, last);
    }
    for (Counter c : Counter.values()) {
      b.counter(c, summary.path(c.json()).asLong(0));
    }
    b.sizes(
        Latency.decode(root.get("request_size_histogram").asText()),
        Latency.decode(root.get("response_size_histogram").asText()));
    for (JsonNode c : root.get("classes")) {
      b.clazz(op(c.get("op").asText()), c.get("pattern").asText(), classStats(c));
    }
    for (JsonNode c : root.get("clients")) {
      b.client(c.get("address").asText(), groupStats(c, c.get("errors_by_code")));
    }
    b.clientsOverflowed(summary.path("clients_estimated").asBoolean(false));
    for (JsonNode s : root.path("sessions")) {
      String id = s.get("session").asText();
      b.session(
          switch (id) {
            case Digest.OTHER -> DigestSnapshot.OTHER_SESSION;
            case NO_SESSION -> 0L;
            default -> Long.parseUnsignedLong(id.substring(2), 16);
          },
          groupStats(s, s.get("errors_by_code")));
    }
    JsonNode sketch = root.get("session_ids_sketch");
    ByteBuffer hashes = ByteBuffer.wrap(Base64.getDecoder().decode(sketch.get("hashes").asText()));
    long[] h = new long[hashes.remaining() / Long.BYTES];
    hashes.asLongBuffer().get(h);
    b.sessionIds(new DigestSnapshot.Sketch(h, sketch.get("overflowed").asBoolean()));
    fields(root.path("events"), (k, v) -> b.eventType(k, v.asLong()));
    fields(
        root.path("event_patterns"),
        (k, v) -> {
          int space = k.indexOf(' ');
          b.eventPattern(k.substring(0, space), k.substring(space + 1), v.asLong());
        });
    fields(root.path("multi_sub_ops"), (k, v) -> b.multiSubOp(k, v.asLong()));
    fields(
        root.path("multi_sub_results"),
        (op, codes) -> fields(codes, (code, n) -> b.multiSubResult(op, code, n.asLong())));
    JsonNode answers = root.path("four_letter_answer_bytes");
    fields(
        root.path("four_letter_words"),
        (k, v) -> b.fourLetterWord(k, v.asLong(), answers.path(k).asLong(0)));
    fields(root.path("decode_error_reasons"), (k, v) -> b.decodeReason(k, v.asLong()));
    fields(
        root.path("ignored"),
        (k, v) -> b.ignored(k, v.get("flows").asLong(), v.get("bytes").asLong()));
    fields(root.path("capture"), (k, v) -> b.frontEnd(k, v.asLong()));
    for (JsonNode p : root.path("paths")) {
      b.path(
          op(p.get("op").asText()),
          p.get("path").asText(),
          new DigestSnapshot.PathStats(
              p.get("requests").asLong(),
              p.get("errors").asLong(),
              p.get("request_bytes").asLong(),
              p.get("response_bytes").asLong(),
              p.path("bad_versions").asLong(0)));
    }
    for (JsonNode p : root.get("class_client_pairs")) {
      b.pair(
          op(p.get("op").asText()),
          Long.parseUnsignedLong(p.get("class_hash").asText(), 16),
          p.get("client").asText(),
          p.get("requests").asLong());
    }
    for (JsonNode c : root.path("identities")) {
      b.identity(c.get("identity").asText(), groupStats(c, c.get("errors_by_code")));
    }
    b.timeline(timeline(root.path("timeline")));
    b.usage(UsageJson.read(root.path("usage")));
    return b.build();
  }

  /** The timeline's non-empty buckets (a report without one has an empty timeline). */
  private static Timeline timeline(JsonNode t) {
    if (t.isMissingNode() || !t.has("bucket_ns")) {
      return Timeline.EMPTY;
    }
    List<Timeline.Bucket> buckets = new ArrayList<>();
    for (JsonNode b : t.path("buckets")) {
      Map<ClassKey, Timeline.Point> classes = new java.util.LinkedHashMap<>();
      for (JsonNode c : b.path("classes")) {
        classes.put(
            new ClassKey(op(c.get("op").asText()), c.get("pattern").asText()),
            new Timeline.Point(
                c.get("requests").asLong(),
                c.get("errors").asLong(),
                Latency.decode(c.get("latency_histogram").asText())));
      }
      buckets.add(
          new Timeline.Bucket(
              b.get("start_ns").asLong(),
              b.get("requests").asLong(),
              b.get("responses").asLong(),
              b.get("errors").asLong(),
              Latency.decode(b.get("latency_histogram").asText()),
              classes));
    }
    return Timeline.of(t.get("bucket_ns").asLong(), buckets);
  }

  private static GroupStats classStats(JsonNode c) {
    JsonNode lat = c.get("latency_us");
    return stats(c, c.get("errors"), 0, lat.get("sum").asLong());
  }

  private static GroupStats groupStats(JsonNode c, JsonNode errors) {
    return stats(c, errors, c.path("connections").asLong(0), c.get("latency_sum_us").asLong());
  }

  private static GroupStats stats(JsonNode c, JsonNode errors, long connections, long sumUs) {
    TreeMap<Integer, Long> byCode = new TreeMap<>();
    long errorCount = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = errors.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      byCode.merge(KeeperErrors.code(e.getKey()), e.getValue().asLong(), Long::sum);
      errorCount += e.getValue().asLong();
    }
    return new GroupStats(
        c.get("requests").asLong(),
        c.get("responses").asLong(),
        errorCount,
        connections,
        c.get("request_bytes").asLong(),
        c.get("response_bytes").asLong(),
        sumUs,
        byCode,
        Latency.decode(c.get("latency_histogram").asText()));
  }

  private static Op op(String name) {
    Op op = Op.byName(name);
    if (op == null) {
      throw new IllegalArgumentException("unknown op " + name);
    }
    return op;
  }

  private interface FieldConsumer {
    void accept(String name, JsonNode value);
  }

  private static void fields(JsonNode obj, FieldConsumer action) {
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      action.accept(e.getKey(), e.getValue());
    }
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return out;
  }
}
