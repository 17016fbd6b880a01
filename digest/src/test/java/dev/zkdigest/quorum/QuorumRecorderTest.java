package dev.zkdigest.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuorumRecorderTest {
  private static final long EPOCH = 0x300000000L;

  /** A ZAB connection from a learner on 10.0.0.{sid} to the leader 10.0.0.1:2888. */
  private static ConnectionMeta learner(int sid) {
    return new ConnectionMeta(sid, "10.0.0." + sid, 40_000 + sid, "10.0.0.1", 2888, 1, true);
  }

  private static ZabPacket proposal(long zxid, Op op, long nanos) {
    return new ZabPacket(
        ZabType.PROPOSAL, zxid, 40, new ZabBody.Txn(1, 1, zxid, 0, op.code(), op), 60, nanos, true);
  }

  private static ZabPacket packet(ZabType type, long zxid, ZabBody body, long nanos) {
    return new ZabPacket(type, zxid, -1, body, 20, nanos, true);
  }

  @Test
  void eachTransactionIsCountedOnceHoweverManyFollowersItIsProposedTo() {
    QuorumRecorder r = new QuorumRecorder();
    for (int sid : new int[] {2, 3}) {
      r.opened(learner(sid), QuorumProtocol.ZAB);
    }
    // given: the same proposals on both connections, each follower's in its own order in time
    r.zab(
        learner(2),
        Direction.SERVER_TO_CLIENT,
        2,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 1, Op.CREATE, 10));
    r.zab(
        learner(2),
        Direction.SERVER_TO_CLIENT,
        2,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 2, Op.SET_DATA, 20));
    r.zab(
        learner(3),
        Direction.SERVER_TO_CLIENT,
        3,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 1, Op.CREATE, 11));
    r.zab(
        learner(3),
        Direction.SERVER_TO_CLIENT,
        3,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 2, Op.SET_DATA, 21));
    r.zab(
        learner(3),
        Direction.SERVER_TO_CLIENT,
        3,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 3, Op.DELETE, 30));
    r.zab(
        learner(2),
        Direction.SERVER_TO_CLIENT,
        2,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 3, Op.DELETE, 31));
    // and old transactions replayed to a syncing learner are not proposals
    r.zab(
        learner(4),
        Direction.SERVER_TO_CLIENT,
        4,
        ZabPhase.SYNC,
        proposal(EPOCH + 9, Op.CREATE, 32));
    // when
    QuorumSnapshot s = r.snapshot();
    // then
    assertThat(s.proposals()).isEqualTo(Map.of("create", 1L, "setData", 1L, "delete", 1L));
    assertThat(s.proposalsFirstNanos()).isEqualTo(10);
    assertThat(s.proposalsLastNanos()).isEqualTo(30);
    assertThat(s.followersByName().get("2").proposals()).isEqualTo(3);
  }

  @Test
  void quorumCommitIsTheFirstCommitOfEachZxidAndLatenciesArePerFollower() {
    QuorumRecorder r = new QuorumRecorder();
    r.proposalAcked(learner(2), 2, EPOCH + 1, 1_000, 3_000);
    r.proposalAcked(learner(3), 3, EPOCH + 1, 1_000, 9_000);
    r.proposalCommitted(learner(2), 2, EPOCH + 1, 1_000, 4_000);
    r.proposalCommitted(learner(3), 3, EPOCH + 1, 1_000, 5_000);
    r.proposalCommitted(learner(2), 2, EPOCH + 2, 10_000, 17_000);
    QuorumSnapshot s = r.snapshot();
    assertThat(s.quorumCommit().count()).isEqualTo(2);
    assertThat(s.quorumCommit().min()).isEqualTo(3);
    assertThat(s.quorumCommit().max()).isEqualTo(7);
    Map<String, QuorumSnapshot.FollowerStats> f = s.followersByName();
    assertThat(f.get("2").ack().max()).isEqualTo(2);
    assertThat(f.get("3").ack().max()).isEqualTo(8);
    assertThat(f.get("3").commit().count()).isEqualTo(1);
  }

  @Test
  void quorumCommitRunsFromTheFirstProposalOnAnyConnection() {
    QuorumRecorder r = new QuorumRecorder();
    // The leader sent the proposal to 2 at 10 us; 3 was behind and got it with the COMMIT at 70.
    r.zab(
        learner(2),
        Direction.SERVER_TO_CLIENT,
        2,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 1, Op.CREATE, 10_000));
    r.zab(
        learner(3),
        Direction.SERVER_TO_CLIENT,
        3,
        ZabPhase.BROADCAST,
        proposal(EPOCH + 1, Op.CREATE, 70_000));
    r.proposalCommitted(learner(3), 3, EPOCH + 1, 70_000, 70_000);
    r.proposalCommitted(learner(2), 2, EPOCH + 1, 10_000, 71_000);
    QuorumSnapshot s = r.snapshot();
    assertThat(s.quorumCommit().max()).isEqualTo(60);
    assertThat(s.followersByName().get("3").commit().max()).isZero();
    assertThat(s.followersByName().get("2").commit().max()).isEqualTo(61);
  }

  @Test
  void serverIdsComeFromAnnouncedAddressesNotFromWhereConnectionsComeFrom() {
    QuorumRecorder r = new QuorumRecorder();
    // Server 3 connects from 127.0.0.1 though it listens on 127.0.0.3.
    ConnectionMeta c = new ConnectionMeta(1, "127.0.0.1", 50_000, "127.0.0.1", 3888, 1, true);
    r.election(
        c,
        Direction.CLIENT_TO_SERVER,
        3,
        new ElectionMessage.Initial(-65536L, 3, List.of("127.0.0.3:3888")),
        1);
    Identities ids = r.snapshot().identities();
    assertThat(ids.resolve("127.0.0.3:3888")).isEqualTo(3);
    assertThat(ids.resolve("127.0.0.1:3888")).isEqualTo(-1);
    // A configuration names every member, by both its ports.
    r.election(
        c,
        Direction.SERVER_TO_CLIENT,
        -1,
        new ElectionMessage.Notification(
            ServerState.LOOKING,
            1,
            0,
            1,
            0,
            2,
            QuorumConfig.parse("server.1=127.0.0.1:2888:3888\nserver.7=[::1]:2889:3889\n"),
            100),
        2);
    ids = r.snapshot().identities();
    assertThat(ids.resolve("127.0.0.1:3888")).isEqualTo(1);
    assertThat(ids.resolve("[::1]:2889")).isEqualTo(7);
    assertThat(ids.resolve("::1")).isEqualTo(7);
  }

  @Test
  void learnersJoinedMidStreamAreNamedByTheirAddressUntilItIsKnown() {
    QuorumRecorder r =
        new QuorumRecorder(
            QuorumRecorder.identities(QuorumConfig.parse("server.5=10.0.0.5:2888:3888")));
    ConnectionMeta mid = new ConnectionMeta(1, "10.0.0.5", 40_000, "10.0.0.1", 2888, 1, false);
    ConnectionMeta unknown = new ConnectionMeta(2, "10.0.0.6", 40_000, "10.0.0.1", 2888, 1, false);
    r.zab(
        mid,
        Direction.SERVER_TO_CLIENT,
        -1,
        ZabPhase.UNKNOWN,
        packet(ZabType.PING, EPOCH, ZabBody.None.INSTANCE, 1));
    r.zab(
        unknown,
        Direction.SERVER_TO_CLIENT,
        -1,
        ZabPhase.UNKNOWN,
        packet(ZabType.PING, EPOCH, ZabBody.None.INSTANCE, 1));
    assertThat(r.snapshot().followersByName()).containsOnlyKeys("5", "10.0.0.6");
  }

  @Test
  void forwardedRequestsPingsAndRevalidationsArePerLearner() {
    QuorumRecorder r = new QuorumRecorder();
    ConnectionMeta c = learner(2);
    r.zab(
        c,
        Direction.CLIENT_TO_SERVER,
        2,
        ZabPhase.BROADCAST,
        packet(ZabType.REQUEST, -1, new ZabBody.ForwardedRequest(1, 1, 1, Op.CREATE), 1));
    r.zab(
        c,
        Direction.CLIENT_TO_SERVER,
        2,
        ZabPhase.BROADCAST,
        packet(ZabType.REQUEST, -1, new ZabBody.ForwardedRequest(1, 2, 99, null), 2));
    r.zab(
        c,
        Direction.SERVER_TO_CLIENT,
        2,
        ZabPhase.BROADCAST,
        packet(ZabType.PING, EPOCH, ZabBody.None.INSTANCE, 3));
    r.zab(
        c,
        Direction.CLIENT_TO_SERVER,
        2,
        ZabPhase.BROADCAST,
        packet(ZabType.PING, EPOCH, new ZabBody.Touches(4), 4));
    r.zab(
        c,
        Direction.CLIENT_TO_SERVER,
        2,
        ZabPhase.BROADCAST,
        packet(ZabType.REVALIDATE, -1, new ZabBody.Revalidate(9, 10), 5));
    r.zab(
        c,
        Direction.SERVER_TO_CLIENT,
        2,
        ZabPhase.BROADCAST,
        packet(ZabType.REVALIDATE, -1, new ZabBody.RevalidateReply(9, false), 6));
    QuorumSnapshot.FollowerStats f = r.snapshot().followersByName().get("2");
    assertThat(f.forwarded()).isEqualTo(Map.of("create", 1L, "type 99", 1L));
    assertThat(f.pings()).isEqualTo(1);
    assertThat(f.pingReplies()).isEqualTo(1);
    assertThat(f.sessionsTouched()).isEqualTo(4);
    assertThat(f.revalidations()).isEqualTo(1);
    assertThat(f.revalidationsRefused()).isEqualTo(1);
  }

  @Test
  void learnersBeyondTheCapFoldIntoOne() {
    QuorumRecorder r = new QuorumRecorder();
    for (int sid = 0; sid < QuorumSnapshot.MAX_FOLLOWERS + 10; sid++) {
      r.zab(
          learner(1),
          Direction.SERVER_TO_CLIENT,
          sid,
          ZabPhase.BROADCAST,
          packet(ZabType.PING, EPOCH, ZabBody.None.INSTANCE, 1));
    }
    Map<String, QuorumSnapshot.FollowerStats> f = r.snapshot().followersByName();
    assertThat(f).hasSize(QuorumSnapshot.MAX_FOLLOWERS + 1);
    assertThat(f.get("{other}").pings()).isEqualTo(10);
  }

  @Test
  void decodeErrorReasonsAreCapped() {
    QuorumRecorder r = new QuorumRecorder();
    for (int i = 0; i < QuorumSnapshot.Traffic.MAX_REASONS + 5; i++) {
      r.decodeError(learner(1), QuorumProtocol.ZAB, Direction.CLIENT_TO_SERVER, "reason " + i, 1);
    }
    QuorumSnapshot.Traffic t = r.snapshot().traffic();
    assertThat(t.decodeErrors()).isEqualTo(QuorumSnapshot.Traffic.MAX_REASONS + 5);
    assertThat(t.decodeErrorReasons()).hasSize(QuorumSnapshot.Traffic.MAX_REASONS + 1);
    assertThat(t.decodeErrorReasons().get("other")).isEqualTo(5);
  }

  @Test
  void notificationsBeyondTheCapKeepTheLatest() {
    QuorumRecorder r = new QuorumRecorder();
    ConnectionMeta c = learner(1);
    ElectionMessage.Notification n =
        new ElectionMessage.Notification(ServerState.LOOKING, 1, 0, 1, 0, 1, null, 44);
    for (int i = 0; i < QuorumSnapshot.MAX_NOTICES + 3; i++) {
      r.election(c, Direction.CLIENT_TO_SERVER, 1, n, i + 1);
    }
    QuorumSnapshot.Log<QuorumSnapshot.Notice> log = r.snapshot().notices();
    assertThat(log.kept()).hasSize(QuorumSnapshot.MAX_NOTICES);
    assertThat(log.dropped()).isEqualTo(3);
    assertThat(log.kept().get(0).nanos()).isEqualTo(4);
  }
}
