package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.quorum.QuorumJson;
import dev.zkdigest.quorum.QuorumListener;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.quorum.QuorumSnapshot;
import dev.zkdigest.quorum.QuorumText;
import dev.zkdigest.quorum.ZabBody;
import dev.zkdigest.quorum.ZabPacket;
import dev.zkdigest.quorum.ZabPhase;
import dev.zkdigest.quorum.ZabType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The reference captures' quorum traffic ({@code shared/captures}: {@code zab_*.pcap}, the ZAB of
 * an ensemble whose leader listens on 20022; {@code omni.pcap}, an ensemble forming with election
 * on 2783-2785, ZAB on 2780-2782 and a client on 2181). Expected values come from the captures'
 * README and file names, from the servers' own configuration inside the capture, and from the
 * published tests of twitter/zktraffic where they agree.
 */
class QuorumCapturesTest {
  private static final int ZAB_PORT = 20022;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record Decoded(
      DigestSnapshot client, QuorumSnapshot quorum, List<ZabPacket> packets, QuorumEvents events) {
    List<ZabPacket> of(ZabType type) {
      return packets.stream().filter(p -> p.type() == type).toList();
    }

    Map<ZabType, Long> counts() {
      Map<ZabType, Long> m = new TreeMap<>();
      packets.forEach(p -> m.merge(p.type(), 1L, Long::sum));
      return m;
    }
  }

  private static QuorumMatcher ports(Set<Integer> quorum, Set<Integer> election) {
    return new QuorumMatcher(quorum, election, Map.of());
  }

  private static final QuorumMatcher OMNI =
      ports(Set.of(2780, 2781, 2782), Set.of(2783, 2784, 2785));

  private static Decoded decode(String name, QuorumMatcher matcher, int shards) throws Exception {
    QuorumRecorder recorder = new QuorumRecorder();
    QuorumEvents events = new QuorumEvents();
    List<ZabPacket> packets = new ArrayList<>();
    QuorumListener fanOut =
        new QuorumListener() {
          @Override
          public void zab(
              ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket p) {
            packets.add(p);
          }
        };
    QuorumListener all = tee(recorder, events, fanOut);
    List<Digest> digests = new ArrayList<>();
    List<TcpTracker> trackers = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      Digest d = new Digest();
      digests.add(d);
      trackers.add(
          new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, d)
              .connectionIds(i + 1, shards));
    }
    CaptureReplay.run(
        List.of(SharedCaptures.file(name)),
        trackers,
        new QuorumTracker(matcher, ServerMatcher.ports(2181), all));
    List<DigestSnapshot> parts = digests.stream().map(Digest::snapshot).toList();
    DigestSnapshot client = DigestSnapshot.merge(parts, Digest.Limits.DEFAULTS);
    return new Decoded(client, recorder.snapshot(), packets, events);
  }

  private static QuorumListener tee(QuorumListener... ls) {
    return (QuorumListener)
        java.lang.reflect.Proxy.newProxyInstance(
            QuorumListener.class.getClassLoader(),
            new Class<?>[] {QuorumListener.class},
            (proxy, method, args) -> {
              for (QuorumListener l : ls) {
                method.invoke(l, args);
              }
              return null;
            });
  }

  private static Decoded zab(String name) throws Exception {
    Decoded d = decode(name, ports(Set.of(ZAB_PORT), Set.of()), 1);
    // The README: quorum traffic only, none of it client traffic; and all of it decodes.
    assertThat(d.client().requests()).isZero();
    assertThat(d.client().connections()).isZero();
    assertThat(d.quorum().traffic().decodeErrors())
        .as("%s", d.quorum().traffic().decodeErrorReasons())
        .isZero();
    assertThat(d.quorum().traffic().zabConnections()).isPositive();
    return d;
  }

  @Test
  void forwardedRequestsProposalsAcksAndCommits() throws Exception {
    Decoded d = zab("zab_request.pcap");
    // As zktraffic's tests count them: 3 requests (createSession, then creates), each of the 3
    // transactions proposed, acknowledged and committed on both followers' connections.
    assertThat(d.counts())
        .containsEntry(ZabType.REQUEST, 3L)
        .containsEntry(ZabType.PROPOSAL, 6L)
        .containsEntry(ZabType.ACK, 6L)
        .containsEntry(ZabType.COMMIT, 6L)
        .containsEntry(ZabType.PING, 57L);
    ZabBody.ForwardedRequest first = (ZabBody.ForwardedRequest) d.of(ZabType.REQUEST).get(0).body();
    assertThat(first.op()).isEqualTo(Op.CREATE_SESSION);
    assertThat(first.sessionId()).isEqualTo(0x1001df405af0000L);
    assertThat(((ZabBody.ForwardedRequest) d.of(ZabType.REQUEST).get(1).body()).op())
        .isEqualTo(Op.CREATE);
    assertThat(d.of(ZabType.PROPOSAL).stream().map(ZabPacket::zxid).distinct())
        .containsExactly(0x100000001L, 0x100000002L, 0x100000003L);
    assertThat(d.of(ZabType.PING).get(0).zxid()).isEqualTo(0x100000000L);
    // Each transaction once, by type; and each answered on both connections.
    assertThat(d.quorum().proposals()).isEqualTo(Map.of("createSession", 1L, "create", 2L));
    assertThat(d.quorum().quorumCommit().count()).isEqualTo(3);
    assertThat(d.quorum().followersByName().values().stream().mapToLong(f -> f.ack().count()).sum())
        .isEqualTo(6);
  }

  @Test
  void sessionRevalidation() throws Exception {
    Decoded d = zab("zab_revalidate.pcap");
    assertThat(d.of(ZabType.REVALIDATE)).hasSize(2);
    assertThat(d.of(ZabType.REVALIDATE).get(0).body())
        .isEqualTo(new ZabBody.Revalidate(0x3001df405ba0000L, 10_000));
    assertThat(d.of(ZabType.REVALIDATE).get(1).body())
        .isEqualTo(new ZabBody.RevalidateReply(0x3001df405ba0000L, true));
  }

  @Test
  void reconfigurationCommitsAndActivates() throws Exception {
    Decoded d = zab("zab_commitandactivate.pcap");
    List<ZabPacket> c = d.of(ZabType.COMMITANDACTIVATE);
    assertThat(c).hasSize(4);
    assertThat(c.get(0).zxid()).isEqualTo(0x10000000dL);
    assertThat(c.get(0).body()).isEqualTo(new ZabBody.Activate(3, null));
    assertThat(d.quorum().proposals()).isEqualTo(Map.of("reconfig", 2L));
  }

  @Test
  void followerInfoOpensEachFollowersHandshake() throws Exception {
    Decoded d = zab("zab_followerinfo.pcap");
    List<ZabPacket> f = d.of(ZabType.FOLLOWERINFO);
    assertThat(f).hasSize(2);
    assertThat(f.get(0).body()).isEqualTo(new ZabBody.LearnerInfo(2, 0x10000, 0));
    assertThat(f.get(0).zxid()).isZero();
    assertThat(f.get(1).body()).isEqualTo(new ZabBody.LearnerInfo(1, 0x10000, 0));
    assertThat(d.quorum().syncs().kept()).hasSize(2);
    assertThat(d.quorum().syncs().kept()).allMatch(s -> s.mode().equals("DIFF") && s.complete());
    assertThat(d.quorum().epochList()).hasSize(1);
    assertThat(d.quorum().epochList().get(0).epoch()).isEqualTo(1);
  }

  @Test
  void observersAreInformedAndActivated() throws Exception {
    Decoded d = zab("zab_informandactivate.pcap");
    List<ZabPacket> i = d.of(ZabType.INFORMANDACTIVATE);
    assertThat(i).hasSize(2);
    ZabBody.Activate a = (ZabBody.Activate) i.get(0).body();
    assertThat(a.designatedLeader()).isEqualTo(3);
    assertThat(a.txn().op()).isEqualTo(Op.RECONFIG);
    assertThat(a.txn().sessionId()).isEqualTo(0x34e8105a7540000L);
    assertThat(i.get(0).zxid()).isEqualTo(0x100000006L);
  }

  @Test
  void anEnsembleFormingWithAClient() throws Exception {
    Decoded d = decode("omni.pcap", OMNI, 1);
    // The README's client traffic, reported beside the quorum's.
    Map<String, Long> ops = new TreeMap<>();
    d.client().ops().forEach((op, st) -> ops.put(op.zkName(), st.requests()));
    assertThat(ops).isEqualTo(Map.of("connect", 1L, "getChildren", 1L, "create", 1L, "sync", 1L));
    QuorumSnapshot q = d.quorum();
    assertThat(q.traffic().decodeErrors()).isZero();
    assertThat(q.traffic().skippedBytes()).isZero();
    // The servers' own configuration (in every notification) names them.
    assertThat(q.identities().resolve("127.0.0.1:2783")).isEqualTo(1);
    assertThat(q.identities().resolve("127.0.0.1:2781")).isEqualTo(2);
    // ZAB runs on 2781, server 2's quorum port: it leads. Server 1 followed first (DIFF), then
    // server 3 joined and took a snapshot (zktraffic: one SNAP, zxid 0x100000000).
    assertThat(d.of(ZabType.SNAP)).hasSize(1);
    assertThat(d.of(ZabType.SNAP).get(0).zxid()).isEqualTo(0x100000000L);
    assertThat(q.elections()).hasSize(2);
    assertThat(q.elections()).allMatch(e -> e.leader() == 2 && e.epoch() == 1 && e.confirmed());
    assertThat(q.elections().get(0).looking()).containsExactly("1", "2");
    assertThat(q.elections().get(1).looking()).containsExactly("3");
    assertThat(q.syncs().kept().stream().map(s -> s.learner() + " " + s.mode()))
        .containsExactly("1 DIFF", "3 SNAP");
    assertThat(q.syncs().kept().get(1).snapshotBytes()).isPositive();
    assertThat(q.traffic().snapshots()).isEqualTo(1);
    // The client's create went through server 1 (a follower) as a forwarded request, once.
    assertThat(q.proposals()).isEqualTo(Map.of("createSession", 1L, "create", 1L));
    assertThat(q.followersByName().get("1").forwarded())
        .isEqualTo(Map.of("createSession", 1L, "create", 1L, "sync", 1L));
  }

  @Test
  void omniRendersAsItsGoldenFiles() throws Exception {
    QuorumSnapshot q = decode("omni.pcap", OMNI, 1).quorum();
    StringWriter text = new StringWriter();
    QuorumText.render(q, new PrintWriter(text));
    StringWriter json = new StringWriter();
    QuorumJson.render(q, new PrintWriter(json));
    assertGolden("omni.txt", text.toString());
    assertGolden(
        "omni.json",
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json.toString()))
            + "\n");
  }

  @Test
  void severalThreadsGiveTheSameQuorumReportAsOne() throws Exception {
    String one = json(decode("omni.pcap", OMNI, 1).quorum());
    for (int shards : new int[] {2, 3, 5}) {
      assertThat(json(decode("omni.pcap", OMNI, shards).quorum())).isEqualTo(one);
    }
  }

  @Test
  void portsLeftOutAreFoundByTheirFirstBytes() throws Exception {
    // No port given: every flow was seen from its SYN, so its first bytes tell. Only the
    // connection attempts that were refused (no bytes) are not counted.
    JsonNode found =
        JSON.readTree(json(decode("omni.pcap", ports(Set.of(1), Set.of(2)), 1).quorum()));
    JsonNode given = JSON.readTree(json(decode("omni.pcap", OMNI, 1).quorum()));
    for (String key :
        List.of(
            "elections",
            "epochs",
            "packets",
            "proposals",
            "syncs",
            "followers",
            "servers",
            "ack_latency_us",
            "commit_latency_us",
            "notifications",
            "decode_errors")) {
      assertThat(found.get(key)).as(key).isEqualTo(given.get(key));
    }
    assertThat(found.get("connections").get("election").asLong()).isEqualTo(3);
  }

  @Test
  void snapshotsOfConsecutivePartsMergeIntoTheWhole() throws Exception {
    Decoded d = decode("omni.pcap", OMNI, 1);
    String whole = json(d.quorum());
    int n = d.events().calls.size();
    for (int cut : new int[] {0, 1, n / 7, n / 3, n / 2, n - 1, n}) {
      QuorumRecorder a = new QuorumRecorder();
      QuorumRecorder b = new QuorumRecorder();
      d.events().replay(a, 0, cut);
      d.events().replay(b, cut, n);
      assertThat(json(a.snapshot().merge(b.snapshot()))).as("cut at %d", cut).isEqualTo(whole);
    }
    // Associative: (a + b) + c = a + (b + c).
    QuorumRecorder a = new QuorumRecorder();
    QuorumRecorder b = new QuorumRecorder();
    QuorumRecorder c = new QuorumRecorder();
    d.events().replay(a, 0, n / 4);
    d.events().replay(b, n / 4, n / 2);
    d.events().replay(c, n / 2, n);
    String left = json(a.snapshot().merge(b.snapshot()).merge(c.snapshot()));
    String right = json(a.snapshot().merge(b.snapshot().merge(c.snapshot())));
    assertThat(left).isEqualTo(right).isEqualTo(whole);
  }

  private static String json(QuorumSnapshot q) {
    StringWriter w = new StringWriter();
    QuorumJson.render(q, new PrintWriter(w));
    return w.toString();
  }

  private static void assertGolden(String name, String actual) throws Exception {
    Path golden = Path.of("src/test/resources/QuorumCapturesTest").resolve(name);
    if (Boolean.getBoolean("zkdigest.updateGolden")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
