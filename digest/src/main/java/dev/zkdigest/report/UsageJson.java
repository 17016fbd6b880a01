package dev.zkdigest.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.digest.Usage;
import dev.zkdigest.protocol.Op;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON {@code usage} object: what the findings rest on, carried so that {@code zkdigest merge}
 * finds in merged reports exactly what one digest of all the traffic would have found. For machines
 * only; its layout may grow like every other key.
 */
final class UsageJson {
  private UsageJson() {}

  static void write(Usage u, JsonWriter w) {
    w.name("usage").beginObject();
    w.name("herds").beginArray();
    u.herds()
        .forEach(
            (k, h) -> {
              w.beginObject();
              w.field("type", k.type());
              w.field("path", k.path());
              w.field("slot_ns", k.slotNanos());
              w.field("rereads", h.rereads());
              sketch(w, h.sessions());
              names(w, "session_ids", h.sessionIds());
              names(w, "clients", h.clients());
              w.field("first_ns", h.firstNanos());
              w.field("last_ns", h.lastNanos());
              sample(w, "example", h.example());
              w.endObject();
            });
    w.endArray();
    w.name("polls").beginArray();
    u.polls()
        .forEach(
            (k, p) -> {
              w.beginObject();
              w.field("session_key", k.session());
              w.field("op", k.op().zkName());
              w.field("path", k.path());
              w.field("reads", p.reads());
              w.field("gaps", p.gaps());
              w.field("sum_gap_ms", p.sumGapMs());
              w.field("sum_gap_sq_ms", p.sumGapSqMs());
              w.field("min_gap_ms", p.minGapMs());
              w.field("max_gap_ms", p.maxGapMs());
              w.field("first_ns", p.firstNanos());
              w.field("last_ns", p.lastNanos());
              sample(w, "example", p.example());
              w.endObject();
            });
    w.endArray();
    w.name("large").beginArray();
    u.large()
        .forEach(
            (k, l) -> {
              w.beginObject();
              w.field("op", k.op().zkName());
              w.field("path", k.path());
              w.field("request_bytes_histogram", l.requestBytes().encode());
              w.field("reply_bytes_histogram", l.replyBytes().encode());
              w.field("children_histogram", l.children().encode());
              names(w, "clients", l.clients());
              w.field("largest_bytes", l.largestBytes());
              sample(w, "largest", l.largest());
              w.endObject();
            });
    w.endArray();
    w.name("churn").beginArray();
    u.churn()
        .forEach(
            (client, c) -> {
              w.beginObject();
              w.field("client", client);
              w.field("opened", c.opened());
              w.field("reconnects", c.reconnects());
              w.field("first_open_ns", c.firstOpenNanos());
              w.field("last_open_ns", c.lastOpenNanos());
              w.field("lifetimes_ms_histogram", c.lifetimesMs().encode());
              w.field("idle_lifetimes_ms_histogram", c.idleLifetimesMs().encode());
              w.endObject();
            });
    w.endArray();
    w.name("class_samples").beginArray();
    u.samples()
        .forEach(
            (k, s) -> {
              w.beginObject();
              w.field("op", k.op().zkName());
              w.field("pattern", k.pattern());
              sample(w, "first_error", s.firstError());
              sample(w, "slowest", s.slowest());
              w.field("slowest_us", s.slowestUs());
              w.endObject();
            });
    w.endArray();
    w.endObject();
  }

  private static void sketch(JsonWriter w, DigestSnapshot.Sketch s) {
    long[] hashes = s.hashes();
    ByteBuffer buf = ByteBuffer.allocate(hashes.length * Long.BYTES);
    buf.asLongBuffer().put(hashes);
    w.field("session_hashes", Base64.getEncoder().encodeToString(buf.array()));
    w.field("sessions_overflowed", s.overflowed());
  }

  private static void names(JsonWriter w, String name, Usage.Few few) {
    w.name(name).beginArray();
    few.names().forEach(w::value);
    w.endArray();
  }

  private static void sample(JsonWriter w, String name, Usage.Sample s) {
    w.name(name);
    if (s == null) {
      w.nullValue();
      return;
    }
    w.beginObject();
    w.field("time_ns", s.timeNanos());
    w.field("client", s.client());
    w.field("session_key", s.session());
    w.field("xid", s.xid());
    w.endObject();
  }

  /** Reads {@link #write}'s object; a report without one has no usage. */
  static Usage read(JsonNode u) {
    if (u.isMissingNode() || u.isNull()) {
      return Usage.EMPTY;
    }
    Map<Usage.HerdKey, Usage.Herd> herds = new HashMap<>();
    for (JsonNode h : u.path("herds")) {
      ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(h.get("session_hashes").asText()));
      long[] hashes = new long[b.remaining() / Long.BYTES];
      b.asLongBuffer().get(hashes);
      herds.put(
          new Usage.HerdKey(
              h.get("type").asText(), h.get("path").asText(), h.get("slot_ns").asLong()),
          new Usage.Herd(
              h.get("rereads").asLong(),
              new DigestSnapshot.Sketch(hashes, h.get("sessions_overflowed").asBoolean()),
              few(h.get("session_ids")),
              few(h.get("clients")),
              h.get("first_ns").asLong(),
              h.get("last_ns").asLong(),
              sample(h.get("example"))));
    }
    Map<Usage.PollKey, Usage.Poll> polls = new HashMap<>();
    for (JsonNode p : u.path("polls")) {
      polls.put(
          new Usage.PollKey(
              p.get("session_key").asLong(), op(p.get("op").asText()), p.get("path").asText()),
          new Usage.Poll(
              p.get("reads").asLong(),
              p.get("gaps").asLong(),
              p.get("sum_gap_ms").asLong(),
              p.get("sum_gap_sq_ms").asLong(),
              p.get("min_gap_ms").asLong(),
              p.get("max_gap_ms").asLong(),
              p.get("first_ns").asLong(),
              p.get("last_ns").asLong(),
              sample(p.get("example"))));
    }
    Map<Usage.LargeKey, Usage.Large> large = new HashMap<>();
    for (JsonNode l : u.path("large")) {
      large.put(
          new Usage.LargeKey(op(l.get("op").asText()), l.get("path").asText()),
          new Usage.Large(
              Latency.decode(l.get("request_bytes_histogram").asText()),
              Latency.decode(l.get("reply_bytes_histogram").asText()),
              Latency.decode(l.get("children_histogram").asText()),
              few(l.get("clients")),
              l.get("largest_bytes").asLong(),
              sample(l.get("largest"))));
    }
    Map<String, Usage.Churn> churn = new HashMap<>();
    for (JsonNode c : u.path("churn")) {
      churn.put(
          c.get("client").asText(),
          new Usage.Churn(
              c.get("opened").asLong(),
              c.path("reconnects").asLong(0),
              c.get("first_open_ns").asLong(),
              c.get("last_open_ns").asLong(),
              Latency.decode(c.get("lifetimes_ms_histogram").asText()),
              Latency.decode(c.get("idle_lifetimes_ms_histogram").asText())));
    }
    Map<ClassKey, Usage.ClassSamples> samples = new HashMap<>();
    for (JsonNode s : u.path("class_samples")) {
      samples.put(
          new ClassKey(op(s.get("op").asText()), s.get("pattern").asText()),
          new Usage.ClassSamples(
              sample(s.get("first_error")),
              sample(s.get("slowest")),
              s.get("slowest_us").asLong()));
    }
    return new Usage(herds, polls, large, churn, samples);
  }

  private static Usage.Few few(JsonNode arr) {
    List<String> names = new ArrayList<>();
    arr.forEach(n -> names.add(n.asText()));
    return new Usage.Few(names);
  }

  private static Usage.Sample sample(JsonNode s) {
    if (s == null || s.isNull() || s.isMissingNode()) {
      return null;
    }
    return new Usage.Sample(
        s.get("time_ns").asLong(),
        s.get("client").asText(),
        s.get("session_key").asLong(),
        s.get("xid").asInt());
  }

  private static Op op(String name) {
    Op op = Op.byName(name);
    if (op == null) {
      throw new IllegalArgumentException("unknown op " + name);
    }
    return op;
  }
}
