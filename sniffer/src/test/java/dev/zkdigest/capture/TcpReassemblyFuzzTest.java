package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Coverage-guided fuzzing of TCP reassembly: one connection's two byte streams cut into segments in
 * any order, overlapping, duplicated, missing, acknowledged or not, ended by FIN or RST. In the
 * normal suite it replays its seeds ({@code TcpReassemblyFuzzTestInputs/anySegments/}, real
 * ZooKeeper sessions cut in order, out of order, with retransmissions and losses; see {@link
 * FuzzSeeds}); with {@code JAZZER_FUZZ=1} it fuzzes ({@code .ci/run}).
 *
 * <p>Input: {@code clientLength:u16 serverLength:u16 client server segment*}, each segment {@code
 * kind:u8 start:u16 length:u8} carrying {@code stream[start, start + length)} of the client's
 * stream, or the server's if {@code kind & FROM_SERVER}; then a FIN if {@code kind & FIN}, or
 * instead of data a RST if {@code kind & RST}; with {@code kind & ACK_ALL}, the segment
 * acknowledges everything the peer has sent so far, captured or not.
 */
class TcpReassemblyFuzzTest {
  static final int FROM_SERVER = 0x01;
  static final int FIN = 0x02;
  static final int RST = 0x04;
  static final int ACK_ALL = 0x08;

  /** Initial sequence numbers just below 2^32, so the streams wrap. */
  static final int CLIENT_ISN = -3_000;

  static final int SERVER_ISN = -100;

  @FuzzTest(maxDuration = "30s")
  void anySegments(byte[] script) {
    ByteBuffer in = ByteBuffer.wrap(script);
    if (in.remaining() < 4) {
      return;
    }
    int clientLength = in.getShort() & 0xffff;
    int serverLength = in.getShort() & 0xffff;
    byte[] client = take(in, clientLength);
    byte[] server = take(in, serverLength);
    BytesPerConnection l = new BytesPerConnection();
    TcpTracker t =
        new TcpTracker(ServerMatcher.ports(2181), new ProtocolConfig(64 * 1024, 4096, 256), l);
    SyntheticTcp c = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40000, 2181);
    c.clientSeq = CLIENT_ISN;
    c.serverSeq = SERVER_ISN;
    TcpSegment seg = new TcpSegment();
    long[] ns = {1_000_000};
    feed(t, seg, ns, c.syn());
    feed(t, seg, ns, c.synAck());
    // The highest offset each side has sent, captured or not, for the peer's acknowledgements.
    int clientSent = 0;
    int serverSent = 0;
    while (in.remaining() >= 4) {
      int kind = in.get() & 0xff;
      int start = in.getShort() & 0xffff;
      int length = in.get() & 0xff;
      boolean fromServer = (kind & FROM_SERVER) != 0;
      byte[] stream = fromServer ? server : client;
      int from = Math.min(start, stream.length);
      int to = Math.min(stream.length, from + length);
      if (fromServer) {
        serverSent = Math.max(serverSent, to);
      } else {
        clientSent = Math.max(clientSent, to);
      }
      // The ack field: everything the peer sent, or only what this side has had in order so far.
      c.clientSeq = CLIENT_ISN + 1 + ((kind & ACK_ALL) != 0 || fromServer ? clientSent : 0);
      c.serverSeq = SERVER_ISN + 1 + ((kind & ACK_ALL) != 0 || !fromServer ? serverSent : 0);
      int seq = (fromServer ? SERVER_ISN : CLIENT_ISN) + 1 + from;
      if ((kind & RST) != 0) {
        feed(t, seg, ns, c.packet(!fromServer, seq, TcpSegment.RST, new byte[0]));
        continue;
      }
      int flags = TcpSegment.ACK | ((kind & FIN) != 0 ? TcpSegment.FIN : 0);
      feed(t, seg, ns, c.packet(!fromServer, seq, flags, Arrays.copyOfRange(stream, from, to)));
    }
    t.finish();
    // Each byte is delivered at most once per connection (a segment after a RST may start
    // another), and every connection opened is closed.
    l.bytes.values().forEach(b -> assertThat(b[0]).isLessThanOrEqualTo(client.length));
    l.bytes.values().forEach(b -> assertThat(b[1]).isLessThanOrEqualTo(server.length));
    assertThat(l.closed).isEqualTo(l.bytes.size());
    assertThat(t.openConnections()).isZero();
  }

  /** Bytes delivered per connection and direction; connections opened and closed. */
  private static final class BytesPerConnection implements TrafficListener {
    final Map<Long, long[]> bytes = new HashMap<>();
    int closed;

    @Override
    public void opened(ConnectionMeta c) {
      bytes.put(c.id(), new long[2]);
    }

    @Override
    public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
      bytes.get(c.id())[d == Direction.CLIENT_TO_SERVER ? 0 : 1] += n;
    }

    @Override
    public void closed(ConnectionMeta c, long nanos) {
      closed++;
    }
  }

  private static byte[] take(ByteBuffer in, int n) {
    byte[] b = new byte[Math.min(n, in.remaining())];
    in.get(b);
    return b;
  }

  private static void feed(TcpTracker t, TcpSegment seg, long[] ns, byte[] packet) {
    if (PacketDecoder.decode(new Packet(ns[0], 1, packet, 0, packet.length, packet.length), seg)) {
      t.segment(seg);
    }
    ns[0] += 1_000;
  }
}
