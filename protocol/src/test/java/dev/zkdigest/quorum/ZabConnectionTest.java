package dev.zkdigest.quorum;

import static dev.zkdigest.quorum.QuorumWire.concat;
import static dev.zkdigest.quorum.QuorumWire.packet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.Op;
import java.util.List;
import org.apache.zookeeper.data.Id;
import org.junit.jupiter.api.Test;

class ZabConnectionTest {
  private static final long EPOCH2 = 0x200000000L;
  private static final long SESSION = 0x1001df405af0000L;

  /** One side's bytes in a conversation: learner (client) or leader (server). */
  private record Step(boolean fromLeader, byte[] bytes) {}

  private static Step learner(byte[]... packets) {
    return new Step(false, concat(packets));
  }

  private static Step leader(byte[]... packets) {
    return new Step(true, concat(packets));
  }

  /** A follower's whole life, in the order the two sides speak: handshake, sync, broadcast. */
  private static final List<Step> LIFE =
      List.of(
          learner(
              packet(ZabType.FOLLOWERINFO, 0x100000000L, QuorumWire.learnerInfo(2, 0x10000, 0))),
          leader(packet(ZabType.LEADERINFO, EPOCH2, QuorumWire.ints(0x10000))),
          learner(packet(ZabType.ACKEPOCH, 0x100000007L, QuorumWire.ints(1))),
          leader(
              packet(ZabType.DIFF, 0x100000007L),
              packet(
                  ZabType.PROPOSAL,
                  0x100000008L,
                  QuorumWire.createTxn(SESSION, 1, 0x100000008L, "/old")),
              packet(ZabType.COMMIT, 0x100000008L),
              packet(ZabType.NEWLEADER, EPOCH2, QuorumWire.CONFIG.getBytes())),
          learner(packet(ZabType.ACK, EPOCH2)),
          leader(packet(ZabType.UPTODATE, -1)),
          learner(
              packet(
                  ZabType.REQUEST,
                  -1,
                  QuorumWire.request(
                      SESSION, 4, Op.CREATE.code(), new byte[] {0, 0, 0, 2, '/', 'a'}),
                  List.of(new Id("ip", "127.0.0.1"), new Id("digest", "bob:xyz=")))),
          leader(
              packet(
                  ZabType.PROPOSAL,
                  EPOCH2 + 1,
                  QuorumWire.createTxn(SESSION, 4, EPOCH2 + 1, "/a"))),
          learner(packet(ZabType.ACK, EPOCH2 + 1)),
          leader(packet(ZabType.COMMIT, EPOCH2 + 1), packet(ZabType.PING, EPOCH2 + 1)),
          learner(
              packet(ZabType.PING, EPOCH2 + 1, QuorumWire.touches(3)),
              packet(ZabType.REVALIDATE, -1, QuorumWire.revalidate(SESSION, 10_000))),
          leader(
              packet(ZabType.REVALIDATE, -1, QuorumWire.revalidateReply(SESSION, false)),
              packet(ZabType.SYNC, 0),
              packet(
                  ZabType.PROPOSAL,
                  EPOCH2 + 2,
                  QuorumWire.createTxn(SESSION, 5, EPOCH2 + 2, "/b"))),
          learner(packet(ZabType.ACK, EPOCH2 + 2)),
          leader(packet(ZabType.COMMITANDACTIVATE, EPOCH2 + 2, QuorumWire.designatedLeader(3))));

  private static byte[] side(List<Step> steps, boolean fromLeader) {
    return concat(
        steps.stream()
            .filter(s -> s.fromLeader() == fromLeader)
            .map(Step::bytes)
            .toArray(byte[][]::new));
  }

  /** Feeds each step split in two at {@code at} (or whole when shorter); times count up. */
  private static RecordingQuorumListener feed(List<Step> steps, int at, boolean fromStart) {
    RecordingQuorumListener l = new RecordingQuorumListener();
    ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(fromStart), l);
    long t = 0;
    for (Step s : steps) {
      int cut = Math.min(at, s.bytes().length);
      for (int[] part : new int[][] {{0, cut}, {cut, s.bytes().length - cut}}) {
        t += 10;
        if (s.fromLeader()) {
          c.fromServer(s.bytes(), part[0], part[1], t);
        } else {
          c.fromClient(s.bytes(), part[0], part[1], t);
        }
      }
    }
    c.close(t + 10);
    return l;
  }

  private static RecordingQuorumListener feed(List<Step> steps, int at) {
    return feed(steps, at, true);
  }

  @Test
  void decodesEveryPacketOfAFollowersLifeSplitAtEveryOffset() {
    int longest = LIFE.stream().mapToInt(x -> x.bytes().length).max().orElseThrow();
    for (int at = 0; at <= longest; at++) {
      // when
      RecordingQuorumListener l = feed(LIFE, at);
      // then
      assertThat(l.errors).as("split at %d", at).isEmpty();
      assertThat(l.skipped).isZero();
      assertThat(l.zab).hasSize(21);
      List<ZabPacket> fromLeader =
          l.zab.stream()
              .filter(z -> z.dir() == Direction.SERVER_TO_CLIENT)
              .map(RecordingQuorumListener.Zab::packet)
              .toList();
      assertThat(fromLeader.stream().map(ZabPacket::type))
          .containsExactly(
              ZabType.LEADERINFO,
              ZabType.DIFF,
              ZabType.PROPOSAL,
              ZabType.COMMIT,
              ZabType.NEWLEADER,
              ZabType.UPTODATE,
              ZabType.PROPOSAL,
              ZabType.COMMIT,
              ZabType.PING,
              ZabType.REVALIDATE,
              ZabType.SYNC,
              ZabType.PROPOSAL,
              ZabType.COMMITANDACTIVATE);
      assertThat(fromLeader.get(0).body()).isEqualTo(new ZabBody.LeaderInfo(0x10000));
      assertThat(fromLeader.get(0).epoch()).isEqualTo(2);
      assertThat(fromLeader.get(4).body()).isEqualTo(new ZabBody.NewLeader(0x100000000L));
      assertThat(fromLeader.get(6).body())
          .isEqualTo(new ZabBody.Txn(SESSION, 4, EPOCH2 + 1, 1_700_000_000_000L, 1, Op.CREATE));
      assertThat(fromLeader.get(9).body()).isEqualTo(new ZabBody.RevalidateReply(SESSION, false));
      assertThat(fromLeader.get(12).body()).isEqualTo(new ZabBody.Activate(3, null));
      List<ZabPacket> fromLearner =
          l.zab.stream()
              .filter(z -> z.dir() == Direction.CLIENT_TO_SERVER)
              .map(RecordingQuorumListener.Zab::packet)
              .toList();
      assertThat(fromLearner.get(0).body()).isEqualTo(new ZabBody.LearnerInfo(2, 0x10000, 0));
      assertThat(fromLearner.get(1).body()).isEqualTo(new ZabBody.AckEpoch(1));
      assertThat(fromLearner.get(3).body())
          .isEqualTo(new ZabBody.ForwardedRequest(SESSION, 4, Op.CREATE.code(), Op.CREATE));
      assertThat(fromLearner.get(5).body()).isEqualTo(new ZabBody.Touches(3));
      assertThat(fromLearner.get(6).body()).isEqualTo(new ZabBody.Revalidate(SESSION, 10_000));
      // Bytes on the wire, identities included.
      assertThat(fromLearner.stream().mapToLong(ZabPacket::bytes).sum())
          .isEqualTo(side(LIFE, false).length);
      assertThat(fromLeader.stream().mapToLong(ZabPacket::bytes).sum())
          .isEqualTo(side(LIFE, true).length);
      assertThat(l.zab)
          .allMatch(z -> z.learnerSid() == 2 || z.packet().type() == ZabType.FOLLOWERINFO);
    }
  }

  @Test
  void followsThePhasesAndReportsTheSync() {
    RecordingQuorumListener l = feed(LIFE, 1_000_000);
    assertThat(
            l.zab.stream()
                .filter(z -> z.packet().type() == ZabType.PROPOSAL)
                .map(RecordingQuorumListener.Zab::phase))
        .containsExactly(ZabPhase.SYNC, ZabPhase.BROADCAST, ZabPhase.BROADCAST);
    assertThat(l.syncs).hasSize(1);
    ZabSync s = l.syncs.get(0);
    assertThat(s.learnerSid()).isEqualTo(2);
    assertThat(s.mode()).isEqualTo(ZabType.DIFF);
    assertThat(s.epoch()).isEqualTo(2);
    assertThat(s.proposals()).isEqualTo(1);
    assertThat(s.complete()).isTrue();
    // DIFF, the old proposal and its commit, NEWLEADER, UPTODATE
    long syncBytes =
        packet(ZabType.DIFF, 0x100000007L).length
            + packet(
                    ZabType.PROPOSAL,
                    0x100000008L,
                    QuorumWire.createTxn(SESSION, 1, 0x100000008L, "/old"))
                .length
            + packet(ZabType.COMMIT, 0x100000008L).length
            + packet(ZabType.NEWLEADER, EPOCH2, QuorumWire.CONFIG.getBytes()).length
            + packet(ZabType.UPTODATE, -1).length;
    assertThat(s.bytes()).isEqualTo(syncBytes);
  }

  @Test
  void matchesAcksAndCommitsToTheLiveProposalsOnly() {
    RecordingQuorumListener l = feed(LIFE, 0);
    // The DIFF's old proposal is not a live one; NEWLEADER's ACK answers no proposal.
    assertThat(l.acked.stream().map(RecordingQuorumListener.Answer::zxid))
        .containsExactly(EPOCH2 + 1, EPOCH2 + 2);
    assertThat(l.committed.stream().map(RecordingQuorumListener.Answer::zxid))
        .containsExactly(EPOCH2 + 1, EPOCH2 + 2);
    assertThat(l.acked).allMatch(a -> a.learnerSid() == 2);
  }

  @Test
  void walksTheSnapshotAfterSnapToTheNextPacketSplitAtEveryOffset() {
    byte[] snapshot = QuorumWire.snapshot(3, 5, 100);
    byte[] leader =
        concat(
            packet(ZabType.LEADERINFO, EPOCH2, QuorumWire.ints(0x10000)),
            packet(ZabType.SNAP, EPOCH2 + 9),
            snapshot,
            packet(ZabType.NEWLEADER, EPOCH2, QuorumWire.CONFIG.getBytes()),
            packet(ZabType.UPTODATE, -1),
            packet(ZabType.PING, EPOCH2 + 9));
    byte[] learner = packet(ZabType.FOLLOWERINFO, 0, QuorumWire.learnerInfo(4, 0x10000, 0));
    for (int at = 0; at <= leader.length; at++) {
      RecordingQuorumListener l = new RecordingQuorumListener();
      ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(true), l);
      c.fromClient(learner, 0, learner.length, 1);
      c.fromServer(leader, 0, at, 2);
      c.fromServer(leader, at, leader.length - at, 3);
      assertThat(l.errors).as("split at %d", at).isEmpty();
      assertThat(l.snapshots).containsExactly((long) snapshot.length);
      assertThat(l.snapshotsComplete).containsExactly(true);
      assertThat(l.types())
          .containsExactly(
              ZabType.FOLLOWERINFO,
              ZabType.LEADERINFO,
              ZabType.SNAP,
              ZabType.NEWLEADER,
              ZabType.UPTODATE,
              ZabType.PING);
      assertThat(l.syncs).hasSize(1);
      assertThat(l.syncs.get(0).mode()).isEqualTo(ZabType.SNAP);
      assertThat(l.syncs.get(0).snapshotBytes()).isEqualTo(snapshot.length);
    }
  }

  @Test
  void aSnapshotWithBytesLostFindsItsSignatureAndTheNextPacket() {
    byte[] snapshot = QuorumWire.snapshot(2, 40, 300);
    byte[] after =
        concat(
            packet(ZabType.NEWLEADER, EPOCH2, QuorumWire.CONFIG.getBytes()),
            packet(ZabType.UPTODATE, -1));
    RecordingQuorumListener l = new RecordingQuorumListener();
    ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(true), l);
    byte[] learner = packet(ZabType.FOLLOWERINFO, 0, QuorumWire.learnerInfo(4, 0x10000, 0));
    c.fromClient(learner, 0, learner.length, 1);
    byte[] snap = packet(ZabType.SNAP, EPOCH2);
    c.fromServer(snap, 0, snap.length, 2);
    // A lost run that ends mid-field: the walk cannot go on; the signature is searched for.
    c.fromServer(snapshot, 0, 1000, 3);
    c.serverGap(1003, 4);
    c.fromServer(snapshot, 2003, snapshot.length - 2003, 5);
    c.fromServer(after, 0, after.length, 6);
    assertThat(l.types())
        .containsExactly(ZabType.FOLLOWERINFO, ZabType.SNAP, ZabType.NEWLEADER, ZabType.UPTODATE);
    assertThat(l.snapshots).containsExactly((long) snapshot.length);
    assertThat(l.syncs.get(0).complete()).isFalse();
  }

  @Test
  void aSnapshotNotInZooKeepersLayoutIsReportedAndItsEndFoundBySignature() {
    byte[] bogus =
        concat(QuorumWire.ints(-5), new byte[100], QuorumWire.ints(10), "BenWasHere".getBytes());
    byte[] leader = concat(packet(ZabType.SNAP, EPOCH2), bogus, packet(ZabType.UPTODATE, -1));
    RecordingQuorumListener l = new RecordingQuorumListener();
    ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(true), l);
    c.fromServer(leader, 0, leader.length, 1);
    assertThat(l.errors).containsExactly("snapshot stream not in ZooKeeper's layout");
    assertThat(l.types()).containsExactly(ZabType.SNAP, ZabType.UPTODATE);
    assertThat(l.snapshotsComplete).containsExactly(false);
  }

  @Test
  void recognisesInformsForObservers() {
    byte[] txn = QuorumWire.createTxn(SESSION, 2, EPOCH2 + 3, "/o");
    byte[] leader =
        concat(
            packet(ZabType.INFORM, EPOCH2 + 3, txn),
            packet(
                ZabType.INFORMANDACTIVATE,
                EPOCH2 + 4,
                concat(QuorumWire.designatedLeader(1), txn)));
    byte[] learner = packet(ZabType.OBSERVERINFO, 0, QuorumWire.learnerInfo(9, 0x10000, 0));
    RecordingQuorumListener l = feed(List.of(learner(learner), leader(leader)), 0);
    assertThat(l.errors).isEmpty();
    assertThat(l.zab.get(0).packet().body()).isEqualTo(new ZabBody.LearnerInfo(9, 0x10000, 0));
    ZabBody.Activate a = (ZabBody.Activate) l.zab.get(2).packet().body();
    assertThat(a.designatedLeader()).isEqualTo(1);
    assertThat(a.txn().op()).isEqualTo(Op.CREATE);
  }

  @Test
  void skipsQuorumSaslBeforeTheFirstPacketAndCountsTls() {
    byte[] learner =
        concat(
            QuorumWire.saslPacket(0, "token".getBytes()),
            packet(ZabType.FOLLOWERINFO, 0, QuorumWire.learnerInfo(2, 0x10000, 0)));
    byte[] leader =
        concat(
            QuorumWire.saslPacket(1, new byte[0]),
            packet(ZabType.LEADERINFO, EPOCH2, QuorumWire.ints(0x10000)));
    RecordingQuorumListener l = feed(List.of(learner(learner), leader(leader)), 7);
    assertThat(l.authPackets).isEqualTo(2);
    assertThat(l.types()).containsExactly(ZabType.FOLLOWERINFO, ZabType.LEADERINFO);
    RecordingQuorumListener t =
        feed(List.of(learner(new byte[] {0x16, 3, 1, 0, 5}), leader(new byte[] {0x16, 3, 3})), 2);
    assertThat(t.tls).isEqualTo(1);
    assertThat(t.zab).isEmpty();
  }

  @Test
  void joinsMidStreamAtAPlausiblePacketAndStillMatchesAcks() {
    byte[] leader =
        concat(
            packet(
                ZabType.PROPOSAL, EPOCH2 + 1, QuorumWire.createTxn(SESSION, 4, EPOCH2 + 1, "/a")),
            packet(ZabType.COMMIT, EPOCH2 + 1),
            packet(ZabType.PING, EPOCH2 + 1));
    byte[] learner =
        concat(packet(ZabType.ACK, EPOCH2 + 1), packet(ZabType.PING, EPOCH2 + 1, new byte[0]));
    RecordingQuorumListener l = new RecordingQuorumListener();
    ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(false), l);
    c.fromServer(leader, 0, leader.length, 10);
    c.fromClient(learner, 0, learner.length, 25);
    assertThat(l.errors).isEmpty();
    assertThat(l.zab).allMatch(z -> z.phase() == ZabPhase.UNKNOWN && z.learnerSid() == -1);
    assertThat(l.acked).containsExactly(new RecordingQuorumListener.Answer(-1, EPOCH2 + 1, 10, 25));
    // Starting inside a packet: the rest of it is skipped.
    RecordingQuorumListener m = new RecordingQuorumListener();
    ZabConnection d = new ZabConnection(RecordingQuorumListener.meta(false), m);
    d.fromServer(leader, 30, leader.length - 30, 1);
    assertThat(m.types())
        .as("%s %s", m.errors, m.zab)
        .containsExactly(ZabType.COMMIT, ZabType.PING);
    assertThat(m.skipped).isEqualTo(leader.length - 30 - 40);
  }

  @Test
  void unknownTypeIsADecodeErrorAndTheStreamRecovers() {
    byte[] leader =
        concat(
            QuorumWire.ints(42, 0, 0, -1, 0),
            packet(ZabType.PING, EPOCH2),
            packet(ZabType.PING, EPOCH2));
    RecordingQuorumListener l = new RecordingQuorumListener();
    ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(true), l);
    c.fromServer(leader, 0, 20, 1);
    c.fromServer(leader, 20, leader.length - 20, 2);
    assertThat(l.errors).containsExactly("unknown quorum packet type 42");
    assertThat(l.types()).containsExactly(ZabType.PING, ZabType.PING);
  }

  @Test
  void aConnectionThatEndsDuringItsSyncReportsItIncomplete() {
    byte[] learner = packet(ZabType.FOLLOWERINFO, 0, QuorumWire.learnerInfo(2, 0x10000, 0));
    byte[] leader =
        concat(
            packet(ZabType.LEADERINFO, EPOCH2, QuorumWire.ints(0x10000)),
            packet(ZabType.SNAP, EPOCH2));
    RecordingQuorumListener l = feed(List.of(learner(learner), leader(leader)), 0);
    assertThat(l.syncs).hasSize(1);
    assertThat(l.syncs.get(0).complete()).isFalse();
    assertThat(l.syncs.get(0).mode()).isEqualTo(ZabType.SNAP);
  }

  @Test
  void proposalsNeverAnsweredAreBounded() {
    RecordingQuorumListener l = new RecordingQuorumListener();
    ZabConnection c = new ZabConnection(RecordingQuorumListener.meta(false), l);
    byte[] txn = QuorumWire.createTxn(SESSION, 1, 1, "/x");
    for (int i = 1; i <= ZabConnection.MAX_PENDING + 100; i++) {
      byte[] p = packet(ZabType.PROPOSAL, EPOCH2 + i, txn);
      c.fromServer(p, 0, p.length, i);
    }
    assertThat(c.pendingCount()).isEqualTo(ZabConnection.MAX_PENDING);
    byte[] ack = packet(ZabType.ACK, EPOCH2 + ZabConnection.MAX_PENDING + 100);
    c.fromClient(ack, 0, ack.length, 1_000_000);
    assertThat(l.acked).hasSize(1);
  }
}
