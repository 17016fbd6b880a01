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

/**
 * A connection's life as a capture shows it (SYN, FIN from each side, RST, a four-tuple reused) and
 * retransmissions that overlap what came before only in part. Expected values are what the test's
 * own client and server sent.
 */
class TcpLifecycleTest {
  private final RecordingListener l = new RecordingListener();
  private final TcpTracker tracker =
      new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, l);
  private final TcpSegment seg = new TcpSegment();
  private long ns = 1_000_000;

  private void feed(byte[]... packets) {
    for (byte[] p : packets) {
      assertThat(PacketDecoder.decode(new Packet(ns, 1, p, 0, p.length, p.length), seg)).isTrue();
      tracker.segment(seg);
      ns += 1000;
    }
  }

  private void feed(List<byte[]> packets) {
    feed(packets.toArray(new byte[0][]));
  }

  private static List<byte[]> open(SyntheticTcp c) {
    return new ArrayList<>(
        List.of(
            c.syn(),
            c.synAck(),
            c.fromClient(JuteOut.connectRequest(0, true)),
            c.fromServer(JuteOut.connectResponse(77, true))));
  }

  @Test
  void finFromBothSidesClosesTheConnectionBeforeTheEndOfInput() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    feed(c.fromClient(Samples.request(Op.GET_DATA)), c.fromServer(Samples.reply(Op.GET_DATA)));
    feed(c.fin(true));
    assertThat(tracker.openConnections()).isEqualTo(1); // half-closed is still open
    feed(c.fin(false), c.ack(true));
    assertThat(l.closed).hasSize(1);
    assertThat(tracker.openConnections()).isZero();
    assertThat(l.opened).hasSize(1); // the last ACK opened nothing
    assertThat(l.skipped).isZero(); // acknowledging a FIN is no lost data
  }

  @Test
  void halfClosedClientStillGetsItsRepliesMatched() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    feed(c.fromClient(Samples.request(Op.CLOSE_SESSION)), c.fin(true));
    feed(c.fromServer(Samples.reply(Op.CLOSE_SESSION)), c.fin(false));
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.CLOSE_SESSION);
    assertThat(l.replies).hasSize(2);
    assertThat(l.pending).isEmpty();
    assertThat(l.closed).hasSize(1);
  }

  @Test
  void rstClosesAtOnceAndWhatWasUnansweredIsPending() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    feed(c.fromClient(Samples.request(Op.EXISTS)), c.rst(false));
    assertThat(l.closed).hasSize(1);
    assertThat(tracker.openConnections()).isZero();
    assertThat(l.pending).extracting(r -> r.op()).containsExactly(Op.EXISTS);
    // The client's answer to the reset, and a stray retransmitted FIN, open nothing new.
    feed(c.rst(true), c.fin(true));
    assertThat(l.opened).hasSize(1);
    tracker.finish();
    assertThat(l.closed).hasSize(1);
  }

  @Test
  void retransmittedSynOpensOneConnection() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    byte[] syn = c.syn();
    feed(syn, syn);
    feed(c.synAck(), c.fromClient(JuteOut.connectRequest(0, true)));
    feed(c.fromServer(JuteOut.connectResponse(77, true)));
    tracker.finish();
    assertThat(l.opened).hasSize(1);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT);
    assertThat(l.replies).hasSize(1);
  }

  @Test
  void aNewSynOnTheSameFourTupleIsANewConnection() {
    // given: a connection that ends without a FIN or RST the capture saw
    SyntheticTcp first = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(first));
    feed(first.fromClient(Samples.request(Op.GET_DATA)));
    // when: the same client port connects again, with a new initial sequence number
    SyntheticTcp again = new SyntheticTcp(1, false, 40000, 2181);
    again.clientSeq = 900_000_000;
    again.serverSeq = 7;
    feed(open(again));
    feed(again.fromClient(Samples.request(Op.EXISTS)), again.fromServer(Samples.reply(Op.EXISTS)));
    tracker.finish();
    // then: two connections, each with its own handshake, and the first one's getData pending
    assertThat(l.opened).hasSize(2);
    assertThat(l.closed).hasSize(2);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.CONNECT, Op.EXISTS);
    assertThat(l.pending).extracting(r -> r.op()).containsExactly(Op.GET_DATA);
    assertThat(l.replies).hasSize(3);
    assertThat(l.decodeErrors).isEmpty();
  }

  /** Two pipelined requests, 70-odd bytes, as one stream the tests cut in overlapping pieces. */
  private static byte[] twoRequests() {
    return JuteOut.concat(
        JuteOut.request(5, Op.GET_DATA).str("/overlap/first").bool(false).frame(),
        JuteOut.request(6, Op.SET_DATA).str("/overlap/second").buf(new byte[20]).i32(-1).frame());
  }

  /** A client segment carrying {@code stream[from, to)}, whatever was sent before. */
  private static byte[] piece(SyntheticTcp c, int base, byte[] stream, int from, int to) {
    return c.packet(
        true,
        base + from,
        dev.zkdigest.capture.TcpSegment.ACK,
        Arrays.copyOfRange(stream, from, to));
  }

  @Test
  void partlyOverlappingRetransmissionsDeliverEachByteOnce() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    byte[] s = twoRequests();
    int base = c.clientSeq;
    int n = s.length;
    // In order with overlaps, a later piece re-sending the tail of an earlier one and more.
    feed(piece(c, base, s, 0, 10), piece(c, base, s, 5, 25), piece(c, base, s, 20, 40));
    // Early and overlapping: held, then trimmed against each other once the hole fills.
    feed(piece(c, base, s, 50, n), piece(c, base, s, 45, 60), piece(c, base, s, 38, 52));
    // A retransmission of everything, after the fact.
    feed(piece(c, base, s, 0, n));
    tracker.finish();
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.SET_DATA);
    assertThat(l.requests.get(2).path()).isEqualTo("/overlap/second");
    assertThat(l.clientBytes).isEqualTo(JuteOut.connectRequest(0, true).length + n);
    assertThat(l.decodeErrors).isEmpty();
    assertThat(l.skipped).isZero();
  }

  @Test
  void retransmissionLongerThanTheOriginalCompletesAFrame() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    byte[] s = twoRequests();
    int base = c.clientSeq;
    // The first frame's start, then a retransmission that repeats it and carries the rest.
    feed(piece(c, base, s, 0, 12), piece(c, base, s, 0, s.length));
    tracker.finish();
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.SET_DATA);
    assertThat(l.clientBytes).isEqualTo(JuteOut.connectRequest(0, true).length + s.length);
  }

  @Test
  void requestMissingASegmentIsCompleteBeforeTheReplyThatAcknowledgesIt() {
    // given: a 3 KB setData whose middle segment the capture lost (the server had it)
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    byte[] big = JuteOut.request(9, Op.SET_DATA).str("/x").buf(new byte[3000]).i32(-1).frame();
    feed(c.fromClient(Arrays.copyOfRange(big, 0, 1000)));
    c.fromClient(Arrays.copyOfRange(big, 1000, 2000)); // not in the capture
    feed(c.fromClient(Arrays.copyOfRange(big, 2000, big.length)));
    // when: the reply comes in a segment that acknowledges the whole request
    feed(c.fromServer(JuteOut.reply(9, 5, 0).stat().frame()));
    // then: the request was complete (after a gap) before its reply, which is matched to it
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SET_DATA);
    assertThat(l.unmatched).isEmpty();
    assertThat(l.replies).hasSize(2);
    assertThat(l.skipped).isEqualTo(1000);
    tracker.finish();
    assertThat(l.pending).isEmpty();
  }

  @Test
  void tailOfARequestMissingFromTheCaptureIsAGapOnceAcknowledged() {
    // given: a 3 KB setData whose last segment the capture lost: nothing captured after the hole
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    feed(open(c));
    byte[] big = JuteOut.request(9, Op.SET_DATA).str("/x").buf(new byte[3000]).i32(-1).frame();
    feed(c.fromClient(Arrays.copyOfRange(big, 0, 2000)));
    c.fromClient(Arrays.copyOfRange(big, 2000, big.length)); // not in the capture
    // when: the reply acknowledges the whole request
    feed(c.fromServer(JuteOut.reply(9, 5, 0).stat().frame()));
    // then: the request ended in a gap and its reply is matched to it
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SET_DATA);
    assertThat(l.unmatched).isEmpty();
    assertThat(l.skipped).isEqualTo(big.length - 2000);
  }

  @Test
  void outOfOrderBytesWaitingBehindAHoleAreBoundedAt256KiB() {
    // given: a stream whose first segment never comes, then 1 KiB segments, never acknowledged
    long[] delivered = {0};
    long[] gaps = {0};
    TcpStream stream =
        new TcpStream(
            new TcpStream.Sink() {
              @Override
              public void data(byte[] buf, int off, int len, long nanos) {
                delivered[0] += len;
              }

              @Override
              public void gap(long bytes, long nanos) {
                gaps[0] += bytes;
              }
            });
    stream.syn(0);
    byte[] kib = new byte[1024];
    int fed = 0;
    // when: until something is delivered
    for (int i = 1; delivered[0] == 0 && i < 1000; i++) {
      stream.segment(1 + i * 1024, kib, 0, kib.length, kib.length, i);
      fed += kib.length;
    }
    // then: the hole was given up before more than 256 KiB waited, and reported as a gap
    assertThat(fed).isLessThanOrEqualTo(TcpStream.MAX_BUFFERED + kib.length);
    assertThat(gaps[0]).isEqualTo(1024);
    assertThat(delivered[0]).isEqualTo(fed);
  }

  @Test
  void sequenceNumbersWrappingPast2To32() {
    SyntheticTcp c = new SyntheticTcp(1, false, 40000, 2181);
    c.clientSeq = -40; // 2^32 - 40: the connect request crosses the wrap
    c.serverSeq = -3;
    feed(open(c));
    byte[] s = twoRequests();
    int base = c.clientSeq;
    feed(piece(c, base, s, 30, s.length), piece(c, base, s, 0, 30)); // out of order over it
    feed(c.fromServer(JuteOut.reply(5, 9, 0).buf(new byte[2]).stat().frame()));
    tracker.finish();
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.SET_DATA);
    assertThat(l.replies).hasSize(2);
    assertThat(l.decodeErrors).isEmpty();
    assertThat(l.skipped).isZero();
  }
}
