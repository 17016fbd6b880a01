package dev.zkdigest.quorum;

import dev.zkdigest.quorum.QuorumSnapshot.FollowerStats;
import dev.zkdigest.quorum.QuorumSnapshot.SyncRecord;
import dev.zkdigest.report.JsonWriter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quorum section of the JSON report: the value of its {@code quorum} key. Keys may be added,
 * never renamed. Zxids are hex strings (as ZooKeeper prints them, and beyond a double's precision);
 * unknown ids and times are null.
 */
public final class QuorumJson {
  private QuorumJson() {}

  /** Writes the section as one JSON object, without a trailing newline. */
  public static void render(QuorumSnapshot s, PrintWriter out) {
    JsonWriter w = new JsonWriter(out);
    Identities ids = s.identities();
    QuorumSnapshot.Traffic t = s.traffic();
    w.beginObject();
    w.field("first_seen", time(s.firstNanos()));
    w.field("last_seen", time(s.lastNanos()));
    w.name("connections").beginObject();
    w.field("election", t.electionConnections());
    w.field("zab", t.zabConnections());
    w.field("tls", t.tlsConnections());
    w.endObject();
    w.name("bytes").beginObject();
    w.field("election", t.electionBytes());
    w.field("zab", t.zabBytes());
    w.endObject();
    w.field("initial_messages", t.initialMessages());
    w.field("notifications", t.notifications());
    w.field("notifications_dropped", s.notices().dropped());
    w.field("auth_packets", t.authPackets());
    w.name("packets").beginObject();
    t.packets().forEach(w::field);
    w.endObject();
    w.name("servers").beginObject();
    ids.endpoints().forEach(w::field);
    w.endObject();

    w.name("elections").beginArray();
    for (Election e : s.elections()) {
      election(w, e);
    }
    w.endArray();

    w.name("epochs").beginArray();
    for (QuorumSnapshot.Epoch e : s.epochList()) {
      w.beginObject();
      w.field("epoch", e.epoch());
      w.fieldOrNull("leader", e.leader());
      w.field("leader_address", e.leaderAddress());
      w.field("first_seen", time(e.firstNanos()));
      w.endObject();
    }
    w.endArray();

    w.name("proposals").beginObject();
    new TreeMap<>(s.proposals()).forEach(w::field);
    w.endObject();
    w.field("proposals_total", s.proposalsTotal());
    double span = (s.proposalsLastNanos() - s.proposalsFirstNanos()) / 1e9;
    w.field("proposals_per_s", span > 0 ? s.proposalsTotal() / span : 0.0);
    w.name("quorum_commit_latency_us");
    latency(w, s.quorumCommit());

    Map<String, FollowerStats> followers = s.followersByName();
    w.name("commit_latency_us").beginObject();
    followers.forEach(
        (k, f) -> {
          if (!f.observer()) {
            w.name(k);
            latency(w, f.commit());
          }
        });
    w.endObject();
    w.name("ack_latency_us").beginObject();
    followers.forEach(
        (k, f) -> {
          if (!f.observer()) {
            w.name(k);
            latency(w, f.ack());
          }
        });
    w.endObject();
    w.name("followers").beginObject();
    followers.forEach((k, f) -> follower(w, k, f));
    w.endObject();

    w.name("syncs").beginArray();
    for (SyncRecord r : s.syncs().kept()) {
      w.beginObject();
      w.fieldOrNull("learner", r.learner() >= 0 ? r.learner() : ids.resolve(r.learnerIp()));
      w.field("learner_address", r.learnerIp());
      w.fieldOrNull("leader", ids.resolve(r.leaderAddress()));
      w.field("leader_address", r.leaderAddress());
      w.field("mode", r.mode());
      w.fieldOrNull("epoch", r.epoch());
      w.field("start", time(r.startNanos()));
      w.field("end", time(r.endNanos()));
      w.field("duration_ms", r.durationNanos() / 1e6);
      w.field("bytes", r.bytes());
      w.field("snapshot_bytes", r.snapshotBytes());
      w.field("proposals", r.proposals());
      w.field("complete", r.complete());
      w.endObject();
    }
    w.endArray();
    w.field("syncs_dropped", s.syncs().dropped());
    w.field("snapshots", t.snapshots());
    w.field("snapshot_bytes", t.snapshotBytes());

    long pings = 0;
    long revalidations = 0;
    long refused = 0;
    for (FollowerStats f : followers.values()) {
      pings += f.pings();
      revalidations += f.revalidations();
      refused += f.revalidationsRefused();
    }
    w.field("pings", pings);
    w.field("revalidations", revalidations);
    w.field("revalidations_refused", refused);
    w.field("decode_errors", t.decodeErrors());
    w.name("decode_error_reasons").beginObject();
    t.decodeErrorReasons().forEach(w::field);
    w.endObject();
    w.field("skipped_bytes", t.skippedBytes());
    w.endObject();
    out.flush();
  }

  private static void election(JsonWriter w, Election e) {
    w.beginObject();
    w.field("start", time(e.startNanos()));
    w.field("end", e.confirmed() ? time(e.endNanos()) : null);
    if (e.confirmed()) {
      w.field("duration_ms", e.durationNanos() / 1e6);
    } else {
      w.name("duration_ms").nullValue();
    }
    w.fieldOrNull("leader", e.leader());
    w.fieldOrNull("epoch", e.epoch());
    w.field("rounds", e.rounds());
    w.name("looking").beginArray();
    e.looking().forEach(w::value);
    w.endArray();
    w.field("notifications", e.notifications());
    w.field("last_notification", time(e.lastNoticeNanos()));
    w.name("votes").beginArray();
    for (Election.Vote v : e.votes()) {
      w.beginObject();
      w.field("time", time(v.nanos()));
      w.fieldOrNull("server", v.server());
      if (v.server() < 0) {
        w.field("address", v.address());
      }
      w.field("state", v.state().name());
      w.field("leader", v.leader());
      w.field("zxid", hex(v.zxid()));
      w.field("election_epoch", v.electionEpoch());
      w.field("peer_epoch", v.peerEpoch());
      w.endObject();
    }
    w.endArray();
    w.field("votes_dropped", e.votesDropped());
    w.endObject();
  }

  private static void follower(JsonWriter w, String name, FollowerStats f) {
    w.name(name).beginObject();
    w.field("role", f.observer() ? "observer" : "follower");
    w.field("connections", f.connections());
    w.field("proposals", f.proposals());
    w.field("commits", f.commits());
    w.field("informs", f.informs());
    w.name("forwarded_requests").beginObject();
    f.forwarded().forEach(w::field);
    w.endObject();
    w.field("forwarded_total", f.forwardedTotal());
    w.field("pings", f.pings());
    w.field("ping_replies", f.pingReplies());
    w.field("sessions_touched", f.sessionsTouched());
    w.field("revalidations", f.revalidations());
    w.field("revalidations_refused", f.revalidationsRefused());
    w.endObject();
  }

  /** The percentile fields of the report's {@code latency_us}. */
  static void latency(JsonWriter w, Latency l) {
    w.beginObject();
    w.field("count", l.count());
    w.field("min", l.min());
    w.field("p50", l.percentile(50));
    w.field("p95", l.percentile(95));
    w.field("p99", l.percentile(99));
    w.field("p999", l.percentile(99.9));
    w.field("max", l.max());
    w.field("mean", l.mean());
    w.field("sum", l.sum());
    w.endObject();
  }

  static String time(long nanos) {
    return nanos > 0 ? Instant.ofEpochSecond(0, nanos).toString() : null;
  }

  static String hex(long zxid) {
    return "0x" + Long.toHexString(zxid);
  }
}
