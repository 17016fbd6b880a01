package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.report.ShowPrinter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays the reference captures in {@code shared/captures} and checks the counts their README
 * gives (decoded with reassembly, not one segment at a time); {@link SharedCapturesCrossCheckTest}
 * reads the same requests and errors off tshark's payloads.
 */
class SharedCapturesTest {

  private record Replayed(DigestSnapshot s, String show) {
    Map<String, Long> requests() {
      Map<String, Long> m = new TreeMap<>();
      s.ops().forEach((op, st) -> m.put(op.zkName(), st.requests()));
      return m;
    }

    long responses(Op op) {
      GroupStats st = s.ops().get(op);
      return st == null ? 0 : st.responses();
    }
  }

  private static Replayed replay(String name) throws Exception {
    Digest digest = new Digest();
    StringWriter show = new StringWriter();
    TcpTracker tracker =
        new TcpTracker(
            ServerMatcher.ports(2181),
            ProtocolConfig.DEFAULTS,
            TrafficListeners.of(List.of(digest, new ShowPrinter(new PrintWriter(show), false))));
    CaptureReplay.Result r = CaptureReplay.run(List.of(SharedCaptures.file(name)), tracker);
    assertThat(r.warnings()).isEmpty();
    return new Replayed(digest.snapshot(), show.toString());
  }

  @Test
  void authIsCountedAndItsCredentialsAreNeverShown() throws Exception {
    Replayed r = replay("auth.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("auth", 1L));
    assertThat(r.responses(Op.AUTH)).isEqualTo(1);
    assertThat(r.s().errors()).isZero();
    assertThat(r.show()).contains("scheme=digest").doesNotContain("tacos:tacos");
  }

  @Test
  void connectRepliesGiveThreeSessions() throws Exception {
    Replayed r = replay("connect_replies.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("connect", 3L));
    assertThat(r.responses(Op.CONNECT)).isEqualTo(3);
    assertThat(r.s().connections()).isEqualTo(3);
    assertThat(r.s().sessions()).isEqualTo(3);
    assertThat(r.show()).contains("0x1001113200f0001", "0x1001113200f0002", "0x1001113200f0003");
  }

  @Test
  void connectsWithoutRepliesLeaveSixPending() throws Exception {
    Replayed r = replay("connects.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("connect", 3L, "closeSession", 3L));
    assertThat(r.s().responses()).isZero();
    assertThat(r.s().pending()).isEqualTo(6);
  }

  @Test
  void cClientWithTheLengthInItsOwnSegmentIsReassembled() throws Exception {
    Replayed r = replay("create-pyzookeeper.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("connect", 1L, "create", 1L));
    assertThat(r.show()).contains("create /git/twitter-config_sha data=60B");
    assertThat(r.s().decodeErrors()).isZero();
  }

  @Test
  void createCaptureCountsEveryRequest() throws Exception {
    Replayed r = replay("create.pcap");
    assertThat(r.requests())
        .isEqualTo(Map.of("connect", 6L, "exists", 5L, "delete", 25L, "create", 25L, "ping", 1L));
    assertThat(r.s().connections()).isEqualTo(6);
  }

  @Test
  void setDataCaptureCountsEveryRequest() throws Exception {
    Replayed r = replay("set_data.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("connect", 6L, "exists", 5L, "setData", 25L));
  }

  @Test
  void dumpCaptureMatchesEveryReplyAndTheEvent() throws Exception {
    Replayed r = replay("dump.pcap");
    assertThat(r.requests())
        .isEqualTo(
            Map.of(
                "ping",
                3L,
                "exists",
                5L,
                "create",
                1L,
                "getChildren",
                2L,
                "getData",
                1L,
                "setData",
                1L));
    assertThat(r.s().responses()).isEqualTo(13);
    assertThat(r.s().unmatched()).isZero();
    assertThat(r.s().eventsByType()).isEqualTo(Map.of("NodeDataChanged", 1L));
    assertThat(r.s().eventPatterns())
        .containsEntry(new DigestSnapshot.EventKey("NodeDataChanged", "/dknightly"), 1L);
  }

  @Test
  void fireWatchesHasAnEventAndAReplyInOneSegment() throws Exception {
    Replayed r = replay("fire_watches.pcap");
    assertThat(r.s().requests()).isZero();
    assertThat(r.s().eventsByType()).isEqualTo(Map.of("NodeChildrenChanged", 1L));
    assertThat(r.s().eventPatterns().keySet().iterator().next().toString())
        .startsWith("NodeChildrenChanged /in/portland");
    // 2 ping replies and 4 other replies, none with its request in the capture.
    assertThat(r.s().unmatched()).isEqualTo(6);
    assertThat(r.show().lines().filter(l -> l.contains("xid=-2 ?")).count()).isEqualTo(2);
    assertThat(r.s().decodeErrors()).isZero();
  }

  @Test
  void fourLetterWordsAreCountedOnTheirOwnConnections() throws Exception {
    Replayed r = replay("get_children_with_four_letter.pcap");
    assertThat(r.s().fourLetterWords().keySet()).containsExactlyInAnyOrder("stat", "conf");
    assertThat(r.s().fourLetterWords().get("stat").answerBytes()).isPositive();
    assertThat(r.requests()).isEqualTo(Map.of("connect", 1L, "getChildren", 1L, "ping", 2L));
    assertThat(r.s().responses()).isEqualTo(4);
    assertThat(r.s().connections()).isEqualTo(3);
  }

  @Test
  void getDataWatchesCountsWatchedAndUnwatchedReads() throws Exception {
    Replayed r = replay("getdata_watches.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("connect", 1L, "getChildren", 2L, "getData", 2L));
    assertThat(r.show().lines().filter(l -> l.contains("/test watch")).count()).isEqualTo(2);
  }

  @Test
  void multiCarriesItsSubOpsAndResults() throws Exception {
    Replayed r = replay("multi.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("ping", 1L, "multi", 1L));
    assertThat(r.s().multiSubOps()).isEqualTo(Map.of("create", 1L, "setData", 1L));
    assertThat(r.show()).contains("[create /foo, setData /foo] OK [OK, OK]");
  }

  @Test
  void reconfigAnsweredUnimplemented() throws Exception {
    Replayed r = replay("reconfig.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("ping", 1L, "reconfig", 1L));
    assertThat(r.s().ops().get(Op.RECONFIG).errorsByCode())
        .isEqualTo(Map.of(KeeperErrors.UNIMPLEMENTED, 1L));
  }

  @Test
  void reconnectReRegistersWatches() throws Exception {
    Replayed r = replay("setwatches.pcap");
    assertThat(r.requests()).isEqualTo(Map.of("connect", 1L, "setWatches", 1L, "ping", 2L));
    assertThat(r.responses(Op.PING)).isEqualTo(1);
    assertThat(r.show()).contains("0x10009b61d370014", "setWatches watches=5");
  }

  @Test
  void cppClientCapture() throws Exception {
    Replayed r = replay("cpp-basic.pcap");
    // The README omits one create of /godi20: tshark shows it (frame 50, `tshark -r cpp-basic.pcap
    // -T fields -e frame.number -e tcp.payload`: xid 10, type 1, path /godi20, data "nuevo"),
    // answered OK with its path in frame 51. SharedCapturesCrossCheckTest checks every count here
    // against tshark's payloads the same way.
    assertThat(r.requests())
        .isEqualTo(
            Map.of(
                "connect",
                1L,
                "exists",
                6L,
                "getChildren",
                1L,
                "getData",
                3L,
                "ping",
                5L,
                "setData",
                1L,
                "create",
                1L));
    assertThat(r.s().responses()).isEqualTo(r.s().requests());
    assertThat(r.show()).contains("create /godi20");
  }

  @Test
  void ensembleCaptureCountsOnlyClientTraffic() throws Exception {
    Replayed r = replay("omni.pcap");
    assertThat(r.requests())
        .isEqualTo(Map.of("connect", 1L, "getChildren", 1L, "create", 1L, "sync", 1L));
    assertThat(r.s().responses()).isEqualTo(4);
    assertThat(r.s().connections()).isEqualTo(1);
    assertThat(r.s().decodeErrors()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "zab_commitandactivate.pcap",
        "zab_followerinfo.pcap",
        "zab_informandactivate.pcap",
        "zab_request.pcap",
        "zab_revalidate.pcap"
      })
  void quorumTrafficIsNotClientTraffic(String name) throws Exception {
    Replayed r = replay(name);
    assertThat(r.s().requests()).isZero();
    assertThat(r.s().connections()).isZero();
    assertThat(r.s().decodeErrors()).isZero();
  }
}
