package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zkdigest.capture.QuorumMatcher;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.quorum.QuorumJson;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.sniffer.LiveCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real three-server ensemble (three JVMs on 127.0.0.1, .2 and .3), recorded by tcpdump on
 * loopback from its first election through the leader's death and the re-election, and the old
 * leader's return after many writes (which takes a snapshot sync). The replayed quorum report must
 * agree with what the servers say of themselves ({@code srvr}: who leads, in which epoch; the
 * leader's {@code mntr}: how it synced the returning server) and with what the client did
 * (proposals by type). Live capture ({@code sniff}'s front end) sees the same.
 */
class QuorumEnsembleIT {
  private static final Duration ELECTION = Duration.ofSeconds(60);

  @TempDir Path dir;

  /** What the servers and the client said, to hold the report against. */
  private record Truth(
      int firstLeader,
      long firstEpoch,
      Instant killed,
      int secondLeader,
      long secondEpoch,
      String rejoinSync,
      Map<String, Long> writes) {}

  @Test
  void electionsSyncsAndProposalsAgreeWithTheServers() throws Exception {
    Tcpdump.requireCapture();
    Path pcap = dir.resolve("ensemble.pcap");
    Truth truth;
    QuorumPeers peers = new QuorumPeers(dir);
    String filter =
        "tcp port "
            + peers.quorumPort
            + " or tcp port "
            + peers.electionPort
            + " or tcp port "
            + peers.clientPort;
    // Live capture (the sniff front end) beside tcpdump (for replay).
    QuorumRecorder live = new QuorumRecorder();
    LiveCapture sniff =
        LiveCapture.start(
            new LiveCapture.Options("lo", filter, 262144, 8 << 20, 64L << 20, null),
            new TcpTracker(
                ServerMatcher.ports(peers.clientPort), ProtocolConfig.DEFAULTS, new Digest()),
            new QuorumTracker(
                new QuorumMatcher(Set.of(peers.quorumPort), Set.of(peers.electionPort), Map.of()),
                ServerMatcher.ports(peers.clientPort),
                live));
    try (peers;
        Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, filter)) {
      truth = run(peers);
    } finally {
      sniff.close();
    }

    List<String> args =
        List.of(
            "--port",
            "" + peers.clientPort,
            "--quorum-port",
            "" + peers.quorumPort,
            "--election-port",
            "" + peers.electionPort);
    JsonNode report = Replay.json(with(args, "--threads", "1"), pcap);
    JsonNode quorum = report.get("quorum");
    assertThat(quorum).as("quorum section").isNotNull();

    // The same with the flows split between threads, and with the servers from zoo.cfg instead
    // of ports.
    assertThat(Replay.json(with(args, "--threads", "3"), pcap).get("quorum")).isEqualTo(quorum);
    JsonNode byConfig =
        Replay.json(
            List.of("--port", "" + peers.clientPort, "--ensemble", peers.config(1).toString()),
            pcap);
    assertThat(byConfig.get("quorum").get("elections")).isEqualTo(quorum.get("elections"));

    assertThat(quorum.get("decode_errors").asLong())
        .as("%s", quorum.get("decode_error_reasons"))
        .isZero();

    // Elections: the first, the one after the leader died, and the old leader's return.
    List<JsonNode> elections = new ArrayList<>();
    quorum.get("elections").forEach(elections::add);
    assertThat(elections).as("%s", quorum.get("elections")).isNotEmpty();
    for (JsonNode e : elections) {
      assertThat(e.get("end").isNull()).as("election ended: %s", e).isFalse();
    }
    JsonNode first = elections.get(0);
    assertThat(first.get("leader").asLong()).isEqualTo(truth.firstLeader());
    assertThat(first.get("epoch").asLong()).isEqualTo(truth.firstEpoch());
    List<JsonNode> after =
        elections.stream()
            .filter(e -> Instant.parse(e.get("start").asText()).isAfter(truth.killed()))
            .toList();
    assertThat(after).as("elections after the kill: %s", elections).hasSizeGreaterThanOrEqualTo(2);
    JsonNode reelection = after.get(0);
    assertThat(reelection.get("leader").asLong()).isEqualTo(truth.secondLeader());
    assertThat(reelection.get("epoch").asLong()).isEqualTo(truth.secondEpoch());
    assertThat(reelection.get("looking").toString())
        .doesNotContain("\"" + truth.firstLeader() + "\"");
    JsonNode rejoin = after.get(after.size() - 1);
    assertThat(rejoin.get("looking").toString()).isEqualTo("[\"" + truth.firstLeader() + "\"]");
    assertThat(rejoin.get("leader").asLong()).isEqualTo(truth.secondLeader());
    assertThat(rejoin.get("epoch").asLong()).isEqualTo(truth.secondEpoch());

    // Epochs and their leaders.
    Map<Long, Long> epochs = new TreeMap<>();
    quorum
        .get("epochs")
        .forEach(e -> epochs.put(e.get("epoch").asLong(), e.get("leader").asLong()));
    assertThat(epochs)
        .containsEntry(truth.firstEpoch(), (long) truth.firstLeader())
        .containsEntry(truth.secondEpoch(), (long) truth.secondLeader());

    // The returning server's sync, as the leader counted it.
    JsonNode sync = null;
    for (JsonNode s : quorum.get("syncs")) {
      if (s.get("learner").asLong() == truth.firstLeader()) {
        sync = s;
      }
    }
    assertThat(sync)
        .as("sync of server %d: %s", truth.firstLeader(), quorum.get("syncs"))
        .isNotNull();
    assertThat(sync.get("mode").asText()).isEqualTo(truth.rejoinSync());
    assertThat(sync.get("leader").asLong()).isEqualTo(truth.secondLeader());
    assertThat(sync.get("complete").asBoolean()).isTrue();
    if (truth.rejoinSync().equals("SNAP")) {
      assertThat(sync.get("snapshot_bytes").asLong()).isPositive();
    }

    // Proposals: each write once, whichever server the client wrote through.
    Map<String, Long> proposals = new TreeMap<>();
    quorum
        .get("proposals")
        .fields()
        .forEachRemaining(f -> proposals.put(f.getKey(), f.getValue().asLong()));
    assertThat(proposals).isEqualTo(truth.writes());

    // Live capture saw the same elections and proposals.
    java.io.StringWriter liveJson = new java.io.StringWriter();
    QuorumJson.render(live.snapshot(), new java.io.PrintWriter(liveJson));
    JsonNode sniffed =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(liveJson.toString());
    assertThat(sniffed.get("proposals")).isEqualTo(quorum.get("proposals"));
    assertThat(summary(sniffed.get("elections"))).isEqualTo(summary(quorum.get("elections")));

    // Client traffic in the same capture, reported beside it.
    assertThat(report.get("ops").get("create").get("requests").asLong())
        .isEqualTo(truth.writes().get("create"));
    assertThat(quorum.get("ack_latency_us").size()).isGreaterThanOrEqualTo(2);
  }

  private Truth run(QuorumPeers peers) throws Exception {
    for (int sid = 1; sid <= QuorumPeers.SERVERS; sid++) {
      peers.start(sid);
    }
    int firstLeader = peers.awaitLeader(ELECTION, 1, 2, 3);
    long firstEpoch = peers.epoch(firstLeader);
    Map<String, Long> writes = new TreeMap<>();
    ZooKeeper client = Workload.connect(peers.connectString());
    writes.merge("createSession", 1L, Long::sum);
    var acl = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    client.create("/q", new byte[0], acl, CreateMode.PERSISTENT);
    writes.merge("create", 1L, Long::sum);
    for (int i = 0; i < 10; i++) {
      client.create("/q/a" + i, new byte[16], acl, CreateMode.PERSISTENT);
      writes.merge("create", 1L, Long::sum);
    }

    // The leader dies; the other two elect one of themselves.
    Instant killed = Instant.now();
    peers.kill(firstLeader);
    int[] rest = others(firstLeader);
    int secondLeader = peers.awaitLeader(ELECTION, rest);
    long secondEpoch = peers.epoch(secondLeader);
    // Every server dropped its clients when the leader went: wait until this one is back (a read,
    // which proposes nothing), so no write is lost to a connection in flux and counted or not.
    QuorumPeers.await(ELECTION, () -> readable(client));

    // Many writes while it is away: more than the leader keeps for a DIFF, pipelined.
    int many = QuorumPeers.COMMIT_LOG_COUNT + 100;
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(many);
    java.util.concurrent.atomic.AtomicInteger failed =
        new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < many; i++) {
      client.create(
          "/q/c" + i,
          new byte[32],
          acl,
          CreateMode.PERSISTENT,
          (rc, path, ctx, name) -> {
            if (rc != 0) {
              failed.incrementAndGet();
            }
            done.countDown();
          },
          null);
    }
    assertThat(done.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(failed.get()).isZero();
    writes.merge("create", (long) many, Long::sum);
    for (int i = 0; i < 10; i++) {
      client.setData("/q", new byte[] {(byte) i}, -1);
      writes.merge("setData", 1L, Long::sum);
    }
    for (int i = 0; i < 5; i++) {
      client.delete("/q/a" + i, -1);
      writes.merge("delete", 1L, Long::sum);
    }
    Map<String, String> before = peers.ask(secondLeader, "mntr");

    // It comes back and syncs with the new leader.
    peers.start(firstLeader);
    QuorumPeers.await(ELECTION, () -> "follower".equals(peers.mode(firstLeader)));
    Map<String, String> afterRejoin = peers.ask(secondLeader, "mntr");
    String sync =
        grew(before, afterRejoin, "zk_snap_count")
            ? "SNAP"
            : grew(before, afterRejoin, "zk_diff_count") ? "DIFF" : "?";

    for (int i = 0; i < 5; i++) {
      client.create("/q/b" + i, new byte[8], acl, CreateMode.PERSISTENT);
      writes.merge("create", 1L, Long::sum);
    }
    client.close();
    writes.merge("closeSession", 1L, Long::sum);
    // Let the last commits and pings reach the capture.
    Thread.sleep(500);
    return new Truth(firstLeader, firstEpoch, killed, secondLeader, secondEpoch, sync, writes);
  }

  /** Each election's leader, epoch and looking servers. */
  private static List<String> summary(JsonNode elections) {
    List<String> out = new ArrayList<>();
    elections.forEach(
        e -> out.add(e.get("leader") + " " + e.get("epoch") + " " + e.get("looking")));
    return out;
  }

  private static boolean readable(ZooKeeper client) {
    try {
      return client.exists("/q", false) != null;
    } catch (org.apache.zookeeper.KeeperException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean grew(Map<String, String> before, Map<String, String> after, String key) {
    return Long.parseLong(after.getOrDefault(key, "0"))
        > Long.parseLong(before.getOrDefault(key, "0"));
  }

  private static int[] others(int sid) {
    int[] out = new int[QuorumPeers.SERVERS - 1];
    int k = 0;
    for (int s = 1; s <= QuorumPeers.SERVERS; s++) {
      if (s != sid) {
        out[k++] = s;
      }
    }
    return out;
  }

  private static List<String> with(List<String> args, String... more) {
    List<String> out = new ArrayList<>(args);
    out.addAll(List.of(more));
    return out;
  }
}
