package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RecordingListener;
import dev.zkdigest.protocol.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpTrackerTest {

  private static RecordingListener run(List<byte[]> packets, int linkType, int snaplen) {
    RecordingListener l = new RecordingListener();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, l);
    TcpSegment seg = new TcpSegment();
    long ns = 1_000_000;
    for (byte[] p : packets) {
      int cap = Math.min(p.length, snaplen);
      if (PacketDecoder.decode(new Packet(ns, linkType, p, 0, cap, p.length), seg)) {
        t.segment(seg);
      }
      ns += 1000;
    }
    t.finish();
    return l;
  }

  private static List<byte[]> session(SyntheticTcp c, Op... ops) {
    List<byte[]> out = new ArrayList<>();
    out.add(c.syn());
    out.add(c.synAck());
    out.add(c.fromClient(JuteOut.connectRequest(0, true)));
    out.add(c.fromServer(JuteOut.connectResponse(77, true)));
    for (Op op : ops) {
      out.add(c.fromClient(Samples.request(op)));
      out.add(c.fromServer(Samples.reply(op)));
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({
    "1,false",
    "1,true",
    "113,false",
    "276,false",
    "276,true",
    "0,false",
    "0,true",
    "101,false",
    "101,true"
  })
  void decodesEveryLinkTypeOverIpv4AndIpv6(int linkType, boolean ipv6) {
    SyntheticTcp c = new SyntheticTcp(linkType, ipv6, 40000, 2181);
    RecordingListener l = run(session(c, Op.GET_DATA, Op.CREATE2), linkType, 65535);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.CREATE2);
    assertThat(l.replies).hasSize(3);
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void decodesVlanTaggedEthernet() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    c.vlan = true;
    RecordingListener l = run(session(c, Op.EXISTS), 1, 65535);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.EXISTS);
  }

  @Test
  void reordersOutOfOrderSegmentsAndDropsRetransmissions() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    List<byte[]> p = session(c);
    byte[] frame = JuteOut.concat(Samples.request(Op.GET_DATA), Samples.request(Op.SET_DATA));
    byte[] a = c.fromClient(Arrays.copyOfRange(frame, 0, 7));
    byte[] b = c.fromClient(Arrays.copyOfRange(frame, 7, 30));
    byte[] d = c.fromClient(Arrays.copyOfRange(frame, 30, frame.length));
    p.addAll(List.of(b, d, a, b, a)); // out of order, then retransmitted
    RecordingListener l = run(p, 1, 65535);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.SET_DATA);
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void snaplenCutPayloadsAreSkippedAndRequestsStillCounted() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    List<byte[]> p = new ArrayList<>(List.of(c.syn(), c.synAck()));
    p.add(c.fromClient(JuteOut.connectRequest(0, true)));
    p.add(c.fromServer(JuteOut.connectResponse(77, true)));
    for (int i = 0; i < 20; i++) {
      byte[] big =
          JuteOut.request(i + 1, Op.SET_DATA).str("/big/" + i).buf(new byte[900]).i32(-1).frame();
      p.add(c.fromClient(big));
      p.add(c.fromServer(JuteOut.reply(i + 1, 5, 0).stat().frame()));
    }
    RecordingListener l = run(p, 1, 120);
    assertThat(l.requestOps().stream().filter(o -> o == Op.SET_DATA).count()).isEqualTo(20);
    assertThat(l.replies).hasSize(21);
    assertThat(l.requests.get(5).path()).isEqualTo("/big/4");
    assertThat(l.decodeErrors).isEmpty();
    assertThat(l.skipped).isPositive();
  }

  @Test
  void lostSegmentInsideAFrameKeepsCounting() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    List<byte[]> p = session(c);
    byte[] big = JuteOut.request(9, Op.SET_DATA).str("/x").buf(new byte[3000]).i32(-1).frame();
    p.add(c.fromClient(Arrays.copyOfRange(big, 0, 1000)));
    c.fromClient(Arrays.copyOfRange(big, 1000, 2000)); // lost: never captured
    p.add(c.fromClient(Arrays.copyOfRange(big, 2000, big.length)));
    p.add(c.fromClient(Samples.request(Op.EXISTS)));
    RecordingListener l = run(p, 1, 65535);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SET_DATA, Op.EXISTS);
  }

  @Test
  void segmentMissingFromTheCaptureDoesNotHoldBackWhatTheServerAcknowledged() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    List<byte[]> p = session(c);
    byte[] first = JuteOut.request(11, Op.GET_DATA).str("/a").bool(false).frame();
    c.fromClient(first); // on the wire and acknowledged, but not in the capture
    for (int xid = 12; xid <= 13; xid++) {
      p.add(c.fromClient(JuteOut.request(xid, Op.GET_DATA).str("/a").bool(false).frame()));
    }
    for (int xid = 11; xid <= 13; xid++) {
      p.add(c.fromServer(JuteOut.reply(xid, 9, 0).buf(new byte[3]).stat().frame()));
    }
    RecordingListener l = run(p, 1, 65535);
    // The two captured requests are matched as their replies come, not after a buffer fills.
    assertThat(l.replies).hasSize(3); // the handshake and xids 12, 13
    assertThat(l.unmatched).hasSize(1); // xid 11's reply: its request was never seen
    assertThat(l.pending).isEmpty();
  }

  @Test
  void midSessionCaptureResynchronises() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    List<byte[]> all = session(c, Op.GET_DATA, Op.GET_CHILDREN, Op.EXISTS);
    // Start after the handshake, halfway into nothing in particular.
    RecordingListener l = run(all.subList(4, all.size()), 1, 65535);
    assertThat(l.requestOps()).containsExactly(Op.GET_DATA, Op.GET_CHILDREN, Op.EXISTS);
    assertThat(l.replies).hasSize(3);
  }

  @Test
  void flowOnAnUnknownPortIsTakenWhenItsHandshakeIsZooKeeper() {
    SyntheticTcp zk = new SyntheticTcp(1, false, 40000, 12181);
    SyntheticTcp other = new SyntheticTcp(1, false, 40001, 3888);
    List<byte[]> p = new ArrayList<>(session(zk, Op.SYNC));
    p.add(other.syn());
    p.add(other.synAck());
    p.add(
        other.fromClient(
            new byte[] {
              0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
              0, 0, 0, 0, 0, 0, 0
            }));
    p.add(other.fromServer(new byte[40]));
    RecordingListener l = run(p, 1, 65535);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SYNC);
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void flowsThatAreNotZooKeeperAreCountedAsIgnoredWithTheirServer() {
    // given: an HTTP-ish exchange on a port nobody named
    SyntheticTcp web = new SyntheticTcp(1, false, 40002, 8080);
    byte[] get =
        "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    List<byte[]> p = new ArrayList<>(List.of(web.syn(), web.synAck(), web.fromClient(get)));
    p.add(web.fromServer(new byte[100]));
    p.add(web.fromClient(new byte[10]));
    // when
    RecordingListener l = run(p, 1, 65535);
    // then: one flow, every payload byte accounted for, nothing decoded
    assertThat(l.requests).isEmpty();
    assertThat(l.ignored).containsOnlyKeys("10.0.0.2:8080");
    assertThat(l.ignored.get("10.0.0.2:8080")).containsExactly(1, get.length + 100 + 10);
  }

  @Test
  void fourLetterWordsToAServerLearnedFromAHandshakeAreCounted() {
    // given: a ZooKeeper on a port nobody named, a client session, then two four-letter words
    SyntheticTcp zk = new SyntheticTcp(1, false, 40000, 12181);
    List<byte[]> p = new ArrayList<>(session(zk, Op.SYNC));
    p.addAll(fourLetterWord(new SyntheticTcp(1, false, 40010, 12181), "ruok", "imok"));
    p.addAll(fourLetterWord(new SyntheticTcp(1, false, 40011, 12181), "srvr", "Zookeeper version"));
    // when
    RecordingListener l = run(p, 1, 65535);
    // then
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SYNC);
    assertThat(l.fourLetterWords).containsExactly("ruok", "srvr");
    assertThat(l.fourLetterAnswerBytes).isEqualTo("imok".length() + "Zookeeper version".length());
    assertThat(l.ignored).isEmpty();
  }

  @Test
  void aServerIsLearnedFromAFourLetterWordItAnswers() {
    // given: only four-letter words, on a port nobody named, the second with a trailing newline
    List<byte[]> p = new ArrayList<>();
    p.addAll(fourLetterWord(new SyntheticTcp(1, false, 40010, 12181), "mntr", "zk_version\t3.9"));
    p.addAll(fourLetterWord(new SyntheticTcp(1, false, 40011, 12181), "ruok\n", "imok"));
    // when
    RecordingListener l = run(p, 1, 65535);
    // then
    assertThat(l.fourLetterWords).containsExactly("mntr", "ruok");
    assertThat(l.ignored).isEmpty();
  }

  @Test
  void aFlowJoinedMidStreamIsAnalysedOnceItsServerIsLearned() {
    // given: a session already under way to an unnamed port (ignored: nothing says it is
    // ZooKeeper), then a new connection's handshake to the same server, then more of the first
    SyntheticTcp old = new SyntheticTcp(1, false, 40000, 12181);
    List<byte[]> first = session(old, Op.GET_DATA, Op.EXISTS, Op.GET_CHILDREN, Op.SYNC);
    List<byte[]> p = new ArrayList<>(first.subList(4, 6));
    p.addAll(session(new SyntheticTcp(1, false, 40001, 12181)));
    p.addAll(first.subList(6, first.size()));
    // when
    RecordingListener l = run(p, 1, 65535);
    // then: the getData exchange was ignored, the rest analysed
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.EXISTS, Op.GET_CHILDREN, Op.SYNC);
    long getData = Samples.request(Op.GET_DATA).length + Samples.reply(Op.GET_DATA).length;
    assertThat(l.ignored.get("10.0.0.2:12181")).containsExactly(1, getData);
  }

  private static List<byte[]> fourLetterWord(SyntheticTcp c, String word, String answer) {
    var ascii = java.nio.charset.StandardCharsets.US_ASCII;
    List<byte[]> out = new ArrayList<>();
    out.add(c.syn());
    out.add(c.synAck());
    out.add(c.fromClient(word.getBytes(ascii)));
    out.add(c.fromServer(answer.getBytes(ascii)));
    out.add(c.packet(false, c.serverSeq, TcpSegment.FIN | TcpSegment.ACK, new byte[0]));
    out.add(c.packet(true, c.clientSeq, TcpSegment.FIN | TcpSegment.ACK, new byte[0]));
    return out;
  }
}
