package dev.zkdigest.quorum;

import dev.zkdigest.quorum.QuorumSnapshot.FollowerStats;
import dev.zkdigest.quorum.QuorumSnapshot.SyncRecord;
import dev.zkdigest.report.Units;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The quorum section of the text report ({@code # Quorum}): traffic, an election timeline with
 * every server's votes, epochs, proposals and commit time, each learner's latencies and requests,
 * and syncs. Printed only when quorum traffic was seen.
 */
public final class QuorumText {
  /** Vote lines shown per election; the JSON report has them all. */
  static final int VOTE_LINES = 30;

  private QuorumText() {}

  public static void render(QuorumSnapshot s, PrintWriter out) {
    if (s.isEmpty()) {
      return;
    }
    QuorumSnapshot.Traffic t = s.traffic();
    Identities ids = s.identities();
    out.println("# Quorum");
    out.printf(
        Locale.ROOT,
        "# Traffic: %d election connections (%s bytes), %d ZAB connections (%s bytes)%s%n",
        t.electionConnections(),
        Units.bytes(t.electionBytes()),
        t.zabConnections(),
        Units.bytes(t.zabBytes()),
        t.tlsConnections() > 0 ? ", " + t.tlsConnections() + " TLS (not decoded)" : "");
    out.printf(
        Locale.ROOT,
        "#          %d notifications, %d initial messages, %s ZAB packets%s%n",
        t.notifications(),
        t.initialMessages(),
        Units.count(t.packetsTotal()),
        t.authPackets() > 0 ? ", " + t.authPackets() + " quorum SASL packets" : "");
    out.printf(
        Locale.ROOT,
        "# Not decoded: decode errors %d; bytes skipped %s%n",
        t.decodeErrors(),
        Units.bytes(t.skippedBytes()));
    servers(ids, out);
    out.println("#");
    elections(s.elections(), out);
    epochs(s, out);
    proposals(s, out);
    learners(s.followersByName(), out);
    syncs(s, ids, out);
    out.println();
    out.flush();
  }

  private static void servers(Identities ids, PrintWriter out) {
    Map<Long, TreeSet<String>> bySid = new TreeMap<>();
    ids.endpoints().forEach((ep, sid) -> bySid.computeIfAbsent(sid, k -> new TreeSet<>()).add(ep));
    if (bySid.isEmpty()) {
      out.println("# Servers: no ids seen (no initial message, configuration or --ensemble)");
      return;
    }
    StringJoiner j = new StringJoiner(", ");
    bySid.forEach((sid, eps) -> j.add(sid + " (" + String.join(" ", eps) + ")"));
    out.println("# Servers: " + j);
  }

  private static void elections(List<Election> elections, PrintWriter out) {
    out.println("# Elections");
    if (elections.isEmpty()) {
      out.println("# (no LOOKING notification seen)");
      out.println("#");
      return;
    }
    out.println(
        "# Start                          Duration  Leader  Epoch Rounds Looking       Votes");
    out.println(
        "# ============================== ======== ======= ====== ====== ============ ======");
    for (Election e : elections) {
      out.printf(
          Locale.ROOT,
          "# %-30s %8s %7s %6s %6d %-12s %6d%n",
          Units.instant(e.startNanos()),
          e.confirmed() ? Units.micros(e.durationNanos() / 1e3) : "?",
          e.leader() >= 0 ? Long.toString(e.leader()) : "?",
          e.epoch() >= 0 ? Long.toString(e.epoch()) : "?",
          e.rounds(),
          String.join(",", e.looking()),
          e.votes().size() + e.votesDropped());
      int shown = 0;
      for (Election.Vote v : e.votes()) {
        if (shown++ == VOTE_LINES) {
          out.printf(
              Locale.ROOT,
              "#   ... %d more votes (JSON has them all)%n",
              e.votes().size() - VOTE_LINES + e.votesDropped());
          break;
        }
        long delta = v.nanos() - e.startNanos();
        String at = delta == 0 ? "0" : Units.micros(delta / 1e3);
        if (v.state() == ServerState.LOOKING) {
          out.printf(
              Locale.ROOT,
              "#   +%-9s server %-4s LOOKING   votes for %d (zxid 0x%x, round %d, peer epoch %d)%n",
              at,
              v.serverName(),
              v.leader(),
              v.zxid(),
              v.electionEpoch(),
              v.peerEpoch());
        } else {
          out.printf(
              Locale.ROOT,
              "#   +%-9s server %-4s %-9s %s %d (epoch %d)%n",
              at,
              v.serverName(),
              v.state(),
              v.state() == ServerState.LEADING ? "leads as" : "follows  ",
              v.leader(),
              v.peerEpoch());
        }
      }
      if (!e.confirmed()) {
        out.println(
            "#   (no server seen leaving LOOKING: the capture has no quorum traffic after the"
                + " votes, or ended first)");
      }
    }
    out.println("#");
  }

  private static void epochs(QuorumSnapshot s, PrintWriter out) {
    List<QuorumSnapshot.Epoch> epochs = s.epochList();
    if (epochs.isEmpty()) {
      return;
    }
    StringJoiner j = new StringJoiner("; ");
    for (QuorumSnapshot.Epoch e : epochs) {
      j.add(
          e.epoch()
              + " led by "
              + (e.leader() >= 0 ? "server " + e.leader() : e.leaderAddress())
              + " from "
              + Units.instant(e.firstNanos()));
    }
    out.println("# Epochs: " + j);
    out.println("#");
  }

  private static void proposals(QuorumSnapshot s, PrintWriter out) {
    long total = s.proposalsTotal();
    double span = (s.proposalsLastNanos() - s.proposalsFirstNanos()) / 1e9;
    List<Map.Entry<String, Long>> byCount = new ArrayList<>(s.proposals().entrySet());
    byCount.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    StringJoiner j = new StringJoiner(", ");
    byCount.forEach(e -> j.add(e.getKey() + " " + e.getValue()));
    out.printf(
        Locale.ROOT,
        "# Proposals: %d (%s/s)%s%n",
        total,
        Units.count(span > 0 ? total / span : 0),
        total > 0 ? ": " + j : "");
    Latency c = s.quorumCommit();
    if (c.count() > 0) {
      out.printf(
          Locale.ROOT,
          "# Quorum commit (proposal to first COMMIT): min %s, p50 %s, p95 %s, p99 %s, max %s%n",
          Units.micros(c.min()),
          Units.micros(c.percentile(50)),
          Units.micros(c.percentile(95)),
          Units.micros(c.percentile(99)),
          Units.micros(c.max()));
    }
    out.println("#");
  }

  private static void learners(Map<String, FollowerStats> followers, PrintWriter out) {
    if (followers.isEmpty()) {
      return;
    }
    out.println(
        "# Learner          Role      ACK p50  ACK p99  COMMIT p50  COMMIT p99 Forwarded"
            + "  Pings Revalidations");
    out.println(
        "# ================ ======== ======== ======== =========== =========== ========="
            + " ====== =============");
    followers.forEach(
        (name, f) ->
            out.printf(
                Locale.ROOT,
                "# %-16s %-8s %8s %8s %11s %11s %9d %6d %13d%n",
                name,
                f.observer() ? "observer" : "follower",
                micros(f.ack(), 50),
                micros(f.ack(), 99),
                micros(f.commit(), 50),
                micros(f.commit(), 99),
                f.forwardedTotal(),
                f.pings(),
                f.revalidations()));
    StringJoiner forwarded = new StringJoiner("; ");
    followers.forEach(
        (name, f) -> {
          if (!f.forwarded().isEmpty()) {
            StringJoiner ops = new StringJoiner(", ");
            f.forwarded().forEach((op, n) -> ops.add(op + " " + n));
            forwarded.add(name + ": " + ops);
          }
        });
    if (forwarded.length() > 0) {
      out.println("# Forwarded requests: " + forwarded);
    }
    out.println("#");
  }

  private static String micros(Latency l, double percentile) {
    return l.count() == 0 ? "-" : Units.micros(l.percentile(percentile));
  }

  private static void syncs(QuorumSnapshot s, Identities ids, PrintWriter out) {
    List<SyncRecord> syncs = s.syncs().kept();
    if (syncs.isEmpty()) {
      return;
    }
    out.println(
        "# Syncs\n# Start                          Learner Leader Mode  Epoch Duration    Bytes"
            + " Snapshot Proposals");
    out.println(
        "# ============================== ======= ====== ===== ===== ======== ======== ========"
            + " =========");
    for (SyncRecord r : syncs) {
      long learner = r.learner() >= 0 ? r.learner() : ids.resolve(r.learnerIp());
      long leader = ids.resolve(r.leaderAddress());
      out.printf(
          Locale.ROOT,
          "# %-30s %7s %6s %-5s %5s %8s %8s %8s %9d%s%n",
          Units.instant(r.startNanos()),
          learner >= 0 ? Long.toString(learner) : r.learnerIp(),
          leader >= 0 ? Long.toString(leader) : "?",
          r.mode(),
          r.epoch() >= 0 ? Long.toString(r.epoch()) : "?",
          Units.micros(r.durationNanos() / 1e3),
          Units.bytes(r.bytes()),
          Units.bytes(r.snapshotBytes()),
          r.proposals(),
          r.complete() ? "" : " (incomplete)");
    }
    out.println("#");
  }
}
