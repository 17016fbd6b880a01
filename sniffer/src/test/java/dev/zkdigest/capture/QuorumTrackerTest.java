package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RecordingListener;
import dev.zkdigest.quorum.ElectionMessage;
import dev.zkdigest.quorum.QuorumListener;
import dev.zkdigest.quorum.QuorumProtocol;
import dev.zkdigest.quorum.ZabPacket;
import dev.zkdigest.quorum.ZabPhase;
import dev.zkdigest.quorum.ZabType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuorumTrackerTest {

  /** What reached each side: the quorum codecs and the client tracker. */
  private static final class Seen implements QuorumListener {
    final List<String> messages = new ArrayList<>();
    final List<QuorumProtocol> opened = new ArrayList<>();
    final RecordingListener client = new RecordingListener();

    @Override
    public void opened(ConnectionMeta conn, QuorumProtocol protocol) {
      opened.add(protocol);
    }

    @Override
    public void election(
        ConnectionMeta conn, Direction dir, long senderSid, ElectionMessage message, long nanos) {
      messages.add(message.getClass().getSimpleName() + " from " + senderSid);
    }

    @Override
    public void zab(
        ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket packet) {
      messages.add(packet.type() + " " + conn.client() + ">" + conn.server());
    }
  }

  private static Seen run(QuorumMatcher matcher, List<byte[]> packets) {
    Seen seen = new Seen();
    QuorumTracker quorum = new QuorumTracker(matcher, ServerMatcher.ports(2181), seen);
    TcpTracker client =
        new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, seen.client);
    TcpSegment seg = new TcpSegment();
    long ns = 1_000_000;
    for (byte[] p : packets) {
      if (PacketDecoder.decode(
              new Packet(ns, PacketDecoder.DLT_EN10MB, p, 0, p.length, p.length), seg)
          && !quorum.offer(seg)) {
        client.segment(seg);
      }
      ns += 1000;
    }
    quorum.finish();
    client.finish();
    return seen;
  }

  private static byte[] initial(long sid) {
    byte[] addr = ("10.0.0.1:3888").getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(20 + addr.length)
        .putLong(-65536L)
        .putLong(sid)
        .putInt(addr.length)
        .put(addr)
        .array();
  }

  private static byte[] followerInfo(long sid) {
    return JuteOut.create()
        .i32(ZabType.FOLLOWERINFO.code())
        .i64(0)
        .buf(ByteBuffer.allocate(20).putLong(sid).putInt(0x10000).putLong(0).array())
        .i32(-1)
        .raw(new byte[0])
        .body();
  }

  private static byte[] leaderInfo() {
    return JuteOut.create()
        .i32(ZabType.LEADERINFO.code())
        .i64(0x100000000L)
        .buf(ByteBuffer.allocate(4).putInt(0x10000).array())
        .i32(-1)
        .body();
  }

  private static List<byte[]> zabConnection(SyntheticTcp c, long sid) {
    List<byte[]> out = new ArrayList<>();
    out.add(c.syn());
    out.add(c.synAck());
    out.add(c.fromClient(followerInfo(sid)));
    out.add(c.fromServer(leaderInfo()));
    return out;
  }

  @Test
  void flowsOnTheQuorumPortsGoToTheQuorumCodecsOnly() {
    SyntheticTcp zab = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_000, 2888);
    SyntheticTcp election = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_001, 3888);
    SyntheticTcp client = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_002, 2181);
    List<byte[]> packets = new ArrayList<>(zabConnection(zab, 2));
    packets.add(election.syn());
    packets.add(election.synAck());
    packets.add(election.fromClient(initial(3)));
    packets.add(client.syn());
    packets.add(client.synAck());
    packets.add(client.fromClient(JuteOut.connectRequest(0, true)));
    Seen seen = run(QuorumMatcher.defaults(), packets);
    assertThat(seen.messages)
        .containsExactly(
            "FOLLOWERINFO 10.0.0.1:40000>10.0.0.2:2888",
            "LEADERINFO 10.0.0.1:40000>10.0.0.2:2888",
            "Initial from 3");
    assertThat(seen.client.requests).hasSize(1);
  }

  @Test
  void flowsOnOtherPortsAreRecognisedByTheirFirstBytesAfterTheirSyn() {
    SyntheticTcp zab = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_000, 20022);
    SyntheticTcp election = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_001, 20023);
    SyntheticTcp client = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_002, 9999);
    List<byte[]> packets = new ArrayList<>(zabConnection(zab, 2));
    packets.add(election.syn());
    packets.add(election.synAck());
    packets.add(election.fromClient(initial(3)));
    // A ZooKeeper client on a port nobody named: the client tracker's to recognise, not ours.
    packets.add(client.syn());
    packets.add(client.synAck());
    packets.add(client.fromClient(JuteOut.connectRequest(0, true)));
    Seen seen = run(new QuorumMatcher(Set.of(2888), Set.of(3888), Map.of()), packets);
    assertThat(seen.opened).containsExactly(QuorumProtocol.ZAB, QuorumProtocol.ELECTION);
    assertThat(seen.messages)
        .containsExactly(
            "FOLLOWERINFO 10.0.0.1:40000>10.0.0.2:20022",
            "LEADERINFO 10.0.0.1:40000>10.0.0.2:20022",
            "Initial from 3");
    assertThat(seen.client.requests).hasSize(1);
  }

  @Test
  void aFlowOnAnotherPortJoinedMidStreamIsLeftAlone() {
    SyntheticTcp zab = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_000, 20022);
    List<byte[]> packets = List.of(zab.fromClient(followerInfo(2)), zab.fromServer(leaderInfo()));
    Seen seen = run(QuorumMatcher.defaults(), packets);
    assertThat(seen.opened).isEmpty();
    assertThat(seen.client.requests).isEmpty();
  }

  @Test
  void segmentsOutOfOrderAreReassembled() {
    SyntheticTcp zab = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_000, 2888);
    byte[] info = followerInfo(7);
    List<byte[]> packets = new ArrayList<>();
    packets.add(zab.syn());
    packets.add(zab.synAck());
    byte[] first = zab.fromClient(java.util.Arrays.copyOfRange(info, 0, 13));
    byte[] second = zab.fromClient(java.util.Arrays.copyOfRange(info, 13, info.length));
    packets.add(second);
    packets.add(first);
    packets.add(zab.fromServer(leaderInfo()));
    Seen seen = run(QuorumMatcher.defaults(), packets);
    assertThat(seen.messages)
        .containsExactly(
            "FOLLOWERINFO 10.0.0.1:40000>10.0.0.2:2888", "LEADERINFO 10.0.0.1:40000>10.0.0.2:2888");
  }

  @Test
  void connectionsAtOnceAreCapped() {
    Seen seen = new Seen();
    QuorumTracker quorum = new QuorumTracker(QuorumMatcher.defaults(), null, seen, 3);
    TcpSegment seg = new TcpSegment();
    for (int i = 0; i < 10; i++) {
      SyntheticTcp zab = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40_000 + i, 2888);
      for (byte[] p : zabConnection(zab, i)) {
        PacketDecoder.decode(
            new Packet(i, PacketDecoder.DLT_EN10MB, p, 0, p.length, p.length), seg);
        quorum.offer(seg);
      }
    }
    assertThat(quorum.openConnections()).isEqualTo(3);
    assertThat(quorum.evicted()).isEqualTo(7);
    assertThat(seen.messages).hasSize(20);
  }
}
