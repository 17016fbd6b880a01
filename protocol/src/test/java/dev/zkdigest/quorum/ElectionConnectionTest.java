package dev.zkdigest.quorum;

import static dev.zkdigest.quorum.QuorumWire.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElectionConnectionTest {
  private static final long V1 = -65536L;
  private static final long V2 = -65535L;

  /** Server 3 introduces itself, then votes; server 1 answers with its own votes. */
  private static final byte[] FROM_3 =
      concat(
          QuorumWire.initial(V1, 3, "127.0.0.3:3888"),
          QuorumWire.notification(ServerState.LOOKING, 3, 0x100000005L, 2, 1, QuorumWire.CONFIG),
          QuorumWire.notification40(ServerState.LOOKING, 3, 0x100000005L, 2, 1),
          QuorumWire.notification28(ServerState.LOOKING, 3, 0x100000005L, 2));

  private static final byte[] FROM_1 =
      concat(
          QuorumWire.notification(ServerState.LOOKING, 1, 0x100000004L, 2, 1, QuorumWire.CONFIG),
          QuorumWire.notification(ServerState.LOOKING, 3, 0x100000005L, 2, 1, QuorumWire.CONFIG));

  private static RecordingQuorumListener feed(byte[] client, byte[] server, int at) {
    RecordingQuorumListener l = new RecordingQuorumListener();
    ElectionConnection c = new ElectionConnection(RecordingQuorumListener.meta(true), l);
    int ca = Math.min(at, client.length);
    int sa = Math.min(at, server.length);
    c.fromClient(client, 0, ca, 10);
    c.fromServer(server, 0, sa, 20);
    c.fromClient(client, ca, client.length - ca, 30);
    c.fromServer(server, sa, server.length - sa, 40);
    c.close(50);
    return l;
  }

  @Test
  void decodesTheInitialMessageAndEveryNotificationFormatSplitAtEveryOffset() {
    for (int at = 0; at <= Math.max(FROM_3.length, FROM_1.length); at++) {
      // when
      RecordingQuorumListener l = feed(FROM_3, FROM_1, at);
      // then
      assertThat(l.errors).as("split at %d", at).isEmpty();
      assertThat(l.skipped).isZero();
      List<RecordingQuorumListener.Election> fromInitiator =
          l.election.stream().filter(e -> e.dir() == Direction.CLIENT_TO_SERVER).toList();
      assertThat(fromInitiator).hasSize(4);
      assertThat(fromInitiator.get(0).message())
          .isEqualTo(new ElectionMessage.Initial(V1, 3, List.of("127.0.0.3:3888")));
      ElectionMessage.Notification n =
          (ElectionMessage.Notification) fromInitiator.get(1).message();
      assertThat(n.state()).isEqualTo(ServerState.LOOKING);
      assertThat(n.leader()).isEqualTo(3);
      assertThat(n.zxid()).isEqualTo(0x100000005L);
      assertThat(n.electionEpoch()).isEqualTo(2);
      assertThat(n.peerEpoch()).isEqualTo(1);
      assertThat(n.version()).isEqualTo(2);
      assertThat(n.configVersion()).isEqualTo(0x100000000L);
      assertThat(n.config().members()).hasSize(3);
      assertThat(n.config().member(2).election())
          .containsExactly(new QuorumConfig.HostPort("127.0.0.2", 3888));
      ElectionMessage.Notification n40 =
          (ElectionMessage.Notification) fromInitiator.get(2).message();
      assertThat(n40.peerEpoch()).isEqualTo(1);
      assertThat(n40.version()).isEqualTo(1);
      assertThat(n40.config()).isNull();
      ElectionMessage.Notification n28 =
          (ElectionMessage.Notification) fromInitiator.get(3).message();
      assertThat(n28.peerEpoch()).as("the zxid's epoch").isEqualTo(1);
      assertThat(n28.version()).isZero();
      // The connecting side's id is known once it said it; the other side's is not.
      assertThat(fromInitiator.stream().map(RecordingQuorumListener.Election::senderSid))
          .containsOnly(3L);
      List<RecordingQuorumListener.Election> fromAcceptor =
          l.election.stream().filter(e -> e.dir() == Direction.SERVER_TO_CLIENT).toList();
      assertThat(fromAcceptor).hasSize(2);
      assertThat(fromAcceptor.get(0).senderSid()).isEqualTo(-1);
      assertThat(((ElectionMessage.Notification) fromAcceptor.get(1).message()).leader())
          .isEqualTo(3);
      assertThat(l.bytes).isEqualTo(FROM_3.length + FROM_1.length);
    }
  }

  @Test
  void decodesEveryByteFedOneAtATime() {
    RecordingQuorumListener l = new RecordingQuorumListener();
    ElectionConnection c = new ElectionConnection(RecordingQuorumListener.meta(true), l);
    for (int i = 0; i < FROM_3.length; i++) {
      c.fromClient(FROM_3, i, 1, i);
    }
    assertThat(l.election).hasSize(4);
    assertThat(l.errors).isEmpty();
  }

  @Test
  void readsSeveralAddressesOfProtocolVersion2() {
    byte[] b = QuorumWire.initial(V2, 2, "10.0.0.2:3888|[fd00::2]:3888");
    RecordingQuorumListener l = feed(b, new byte[0], 0);
    assertThat(l.messages())
        .containsExactly(
            new ElectionMessage.Initial(V2, 2, List.of("10.0.0.2:3888", "[fd00::2]:3888")));
  }

  @Test
  void readsTheBareServerIdOfServersBefore35() {
    byte[] b =
        concat(
            java.nio.ByteBuffer.allocate(8).putLong(5).array(),
            QuorumWire.notification40(ServerState.FOLLOWING, 7, 0x300000001L, 9, 3));
    RecordingQuorumListener l = feed(b, new byte[0], 0);
    assertThat(l.messages().get(0)).isEqualTo(new ElectionMessage.Initial(0, 5, List.of()));
    assertThat(l.election.get(1).senderSid()).isEqualTo(5);
    assertThat(((ElectionMessage.Notification) l.messages().get(1)).state())
        .isEqualTo(ServerState.FOLLOWING);
  }

  @Test
  void skipsQuorumSaslPacketsAndCountsThem() {
    byte[] client =
        concat(
            QuorumWire.initial(V1, 3, "127.0.0.3:3888"),
            QuorumWire.saslPacket(0, "secret-token".getBytes()),
            QuorumWire.notification(ServerState.LOOKING, 3, 1, 1, 0, QuorumWire.CONFIG));
    byte[] server =
        concat(
            QuorumWire.saslPacket(1, new byte[0]),
            QuorumWire.notification(ServerState.LOOKING, 1, 1, 1, 0, QuorumWire.CONFIG));
    for (int at = 0; at <= client.length; at++) {
      RecordingQuorumListener l = feed(client, server, at);
      assertThat(l.errors).as("split at %d", at).isEmpty();
      assertThat(l.authPackets).isEqualTo(2);
      assertThat(l.election).hasSize(3);
      assertThat(l.messages().toString()).doesNotContain("secret");
    }
  }

  @Test
  void countsATlsConnectionWithoutDecodingIt() {
    byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
    RecordingQuorumListener l = feed(hello, new byte[] {0x16, 0x03, 0x03, 0, 0x7a}, 3);
    assertThat(l.tls).isEqualTo(1);
    assertThat(l.election).isEmpty();
    assertThat(l.errors).isEmpty();
  }

  @Test
  void badVotesAreCountedAndTheNextOnesStillDecoded() {
    byte[] unknownState =
        QuorumWire.frame(
            java.nio.ByteBuffer.allocate(40).putInt(9).putLong(1).putLong(1).putLong(1).array());
    byte[] badConfigLength =
        QuorumWire.frame(
            java.nio.ByteBuffer.allocate(48)
                .putInt(0)
                .putLong(1)
                .putLong(1)
                .putLong(1)
                .putLong(0)
                .putInt(2)
                .putInt(999)
                .array());
    byte[] good = QuorumWire.notification(ServerState.LOOKING, 1, 1, 1, 0, QuorumWire.CONFIG);
    RecordingQuorumListener l = feed(new byte[0], concat(unknownState, badConfigLength, good), 0);
    assertThat(l.errors)
        .containsExactly("unknown server state 9", "notification configuration of 999 bytes");
    assertThat(l.election).hasSize(1);
  }

  @Test
  void implausibleLengthLosesSyncAndTheNextPlausibleFrameRegainsIt() {
    byte[] good = QuorumWire.notification(ServerState.LOOKING, 2, 5, 4, 0, QuorumWire.CONFIG);
    RecordingQuorumListener l = new RecordingQuorumListener();
    ElectionConnection c = new ElectionConnection(RecordingQuorumListener.meta(true), l);
    byte[] garbage = {0x7f, 0x7f, 0x7f, 0x7f, 1, 2, 3};
    c.fromServer(garbage, 0, garbage.length, 1);
    c.fromServer(good, 0, good.length, 2);
    assertThat(l.errors).containsExactly("implausible election frame length 2139062143");
    assertThat(l.skipped).isEqualTo(3);
    assertThat(l.election).hasSize(1);
  }

  @Test
  void aVoteCutByTheCaptureIsSkippedByItsLengthAndTheNextOneDecoded() {
    byte[] first = QuorumWire.notification(ServerState.LOOKING, 2, 5, 4, 0, QuorumWire.CONFIG);
    byte[] second = QuorumWire.notification(ServerState.LOOKING, 3, 6, 4, 0, QuorumWire.CONFIG);
    RecordingQuorumListener l = new RecordingQuorumListener();
    ElectionConnection c = new ElectionConnection(RecordingQuorumListener.meta(true), l);
    c.fromServer(first, 0, 50, 1);
    c.serverGap(first.length - 50, 2);
    c.fromServer(second, 0, second.length, 3);
    assertThat(l.errors).isEmpty();
    assertThat(l.skipped).isEqualTo(first.length - 50);
    // The cut vote still has its fields (they came before the gap); the config is cut short.
    assertThat(l.election).hasSize(2);
    assertThat(((ElectionMessage.Notification) l.messages().get(1)).leader()).isEqualTo(3);
  }

  @Test
  void joinsMidStreamAtTheFirstPlausibleFrame() {
    byte[] votes =
        concat(
            QuorumWire.notification(ServerState.LOOKING, 2, 5, 4, 0, QuorumWire.CONFIG),
            QuorumWire.notification(ServerState.LOOKING, 3, 5, 4, 0, QuorumWire.CONFIG));
    RecordingQuorumListener l = new RecordingQuorumListener();
    ElectionConnection c = new ElectionConnection(RecordingQuorumListener.meta(false), l);
    c.fromServer(votes, 17, votes.length - 17, 1); // starts inside the first vote
    assertThat(l.errors).isEmpty();
    assertThat(l.election).hasSize(1);
    assertThat(((ElectionMessage.Notification) l.messages().get(0)).leader()).isEqualTo(3);
  }
}
