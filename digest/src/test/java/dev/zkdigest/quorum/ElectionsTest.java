package dev.zkdigest.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.quorum.QuorumSnapshot.Notice;
import dev.zkdigest.quorum.QuorumSnapshot.RoleEvent;
import dev.zkdigest.quorum.QuorumSnapshot.RoleKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElectionsTest {
  private static final long MS = 1_000_000;

  /** Servers 1-3 at 10.0.0.N, quorum port 2888, election port 3888. */
  private static final Identities IDS =
      new Identities(
          Map.of(
              "10.0.0.1:3888",
              1L,
              "10.0.0.2:3888",
              2L,
              "10.0.0.3:3888",
              3L,
              "10.0.0.1:2888",
              1L,
              "10.0.0.2:2888",
              2L,
              "10.0.0.3:2888",
              3L),
          Map.of("10.0.0.1", Set.of(1L), "10.0.0.2", Set.of(2L), "10.0.0.3", Set.of(3L)));

  private final List<Notice> notices = new ArrayList<>();
  private final List<RoleEvent> roles = new ArrayList<>();

  /** A vote sent by {@code sid} (known by its connection) at {@code ms}. */
  private void vote(long ms, long sid, ServerState state, long leader, long round) {
    notices.add(new Notice(ms * MS, sid, "", state, leader, 0x100000005L, round, 1, -1));
  }

  /** A vote from the accepting side of a connection: known by address only. */
  private void voteFrom(long ms, String address, ServerState state, long leader, long round) {
    notices.add(new Notice(ms * MS, -1, address, state, leader, 0x100000005L, round, 1, -1));
  }

  private void follows(long ms, long learner, long leader) {
    roles.add(
        new RoleEvent(
            ms * MS,
            RoleKind.FOLLOWER_JOINED,
            learner,
            "10.0.0." + learner,
            "10.0.0." + leader + ":2888",
            -1));
  }

  private void leaderInfo(long ms, long learner, long leader, long epoch) {
    roles.add(
        new RoleEvent(
            ms * MS,
            RoleKind.LEADER_INFO,
            learner,
            "10.0.0." + learner,
            "10.0.0." + leader + ":2888",
            epoch));
  }

  private List<Election> derive() {
    return Elections.derive(notices, roles, IDS);
  }

  @Test
  void anElectionEndsWhenEveryLookingServerFollowsOrLeads() {
    // given: three servers look, agree on 3; 1 and 2 follow it
    vote(0, 3, ServerState.LOOKING, 3, 1);
    voteFrom(1, "10.0.0.1:3888", ServerState.LOOKING, 1, 1);
    vote(2, 2, ServerState.LOOKING, 2, 1);
    voteFrom(3, "10.0.0.1:3888", ServerState.LOOKING, 3, 1);
    vote(4, 2, ServerState.LOOKING, 3, 1);
    follows(210, 1, 3);
    leaderInfo(211, 1, 3, 2);
    follows(215, 2, 3);
    leaderInfo(216, 2, 3, 2);
    // when
    List<Election> elections = derive();
    // then
    assertThat(elections).hasSize(1);
    Election e = elections.get(0);
    assertThat(e.startNanos()).isZero();
    assertThat(e.endNanos()).isEqualTo(215 * MS);
    assertThat(e.leader()).isEqualTo(3);
    assertThat(e.epoch()).as("from the LEADERINFO after the last FOLLOWERINFO").isEqualTo(2);
    assertThat(e.rounds()).isEqualTo(1);
    assertThat(e.looking()).containsExactly("1", "2", "3");
    assertThat(e.votes().stream().map(v -> v.serverName() + ">" + v.leader()))
        .containsExactly("3>3", "1>1", "2>2", "1>3", "2>3");
  }

  @Test
  void aServerJoiningAnEstablishedLeaderIsAnElectionOfOne() {
    vote(0, 3, ServerState.LOOKING, 3, 1);
    voteFrom(1, "10.0.0.1:3888", ServerState.FOLLOWING, 2, 4);
    voteFrom(2, "10.0.0.2:3888", ServerState.LEADING, 2, 4);
    follows(50, 3, 2);
    leaderInfo(51, 3, 2, 4);
    Election e = derive().get(0);
    assertThat(e.looking()).containsExactly("3");
    assertThat(e.leader()).isEqualTo(2);
    assertThat(e.epoch()).isEqualTo(4);
    assertThat(e.durationNanos()).isEqualTo(50 * MS);
  }

  @Test
  void anOldVoteResentToAPeerThatCameBackOpensNothing() {
    vote(0, 1, ServerState.LOOKING, 2, 1);
    vote(1, 2, ServerState.LOOKING, 2, 1);
    follows(200, 1, 2);
    // Server 3 starts later: 1's SendWorker resends its last LOOKING vote on the new connection.
    vote(5_000, 1, ServerState.LOOKING, 2, 1);
    vote(5_001, 3, ServerState.LOOKING, 3, 1);
    vote(5_002, 1, ServerState.FOLLOWING, 2, 1);
    follows(5_050, 3, 2);
    List<Election> elections = derive();
    assertThat(elections).hasSize(2);
    assertThat(elections.get(1).startNanos()).isEqualTo(5_001 * MS);
    assertThat(elections.get(1).looking()).containsExactly("3");
  }

  @Test
  void aNewRoundFromADecidedServerIsNotAResend() {
    vote(0, 1, ServerState.LOOKING, 2, 1);
    vote(1, 2, ServerState.LOOKING, 2, 1);
    follows(200, 1, 2);
    // The leader died: 1 looks again, in a new round.
    vote(9_000, 1, ServerState.LOOKING, 1, 2);
    vote(9_001, 3, ServerState.LOOKING, 3, 2);
    vote(9_002, 1, ServerState.LOOKING, 3, 2);
    follows(9_300, 1, 3);
    List<Election> elections = derive();
    assertThat(elections).hasSize(2);
    assertThat(elections.get(1).looking()).containsExactly("1", "3");
    assertThat(elections.get(1).leader()).isEqualTo(3);
  }

  @Test
  void withoutQuorumTrafficTheElectionHasNoEndButAWinnerByVotes() {
    vote(0, 1, ServerState.LOOKING, 1, 7);
    vote(1, 2, ServerState.LOOKING, 2, 7);
    vote(2, 1, ServerState.LOOKING, 2, 8);
    vote(3, 2, ServerState.LOOKING, 2, 8);
    Election e = derive().get(0);
    assertThat(e.confirmed()).isFalse();
    assertThat(e.endNanos()).isEqualTo(-1);
    assertThat(e.leader()).isEqualTo(2);
    assertThat(e.epoch()).isEqualTo(-1);
    assertThat(e.rounds()).isEqualTo(2);
    assertThat(e.lastNoticeNanos()).isEqualTo(3 * MS);
  }

  @Test
  void aLongSilenceEndsAnElectionThatNobodyLeft() {
    vote(0, 1, ServerState.LOOKING, 1, 1);
    vote(Elections.QUIET_NANOS / MS + 10_000, 2, ServerState.LOOKING, 2, 1);
    List<Election> elections = derive();
    assertThat(elections).hasSize(2);
    assertThat(elections).noneMatch(Election::confirmed);
  }

  @Test
  void aServerWhoseAddressIsUnknownIsNamedByIt() {
    voteFrom(0, "10.9.9.9:3888", ServerState.LOOKING, 9, 1);
    Election e = derive().get(0);
    assertThat(e.looking()).containsExactly("10.9.9.9:3888");
    assertThat(e.votes().get(0).server()).isEqualTo(-1);
    assertThat(e.votes().get(0).address()).isEqualTo("10.9.9.9:3888");
  }

  @Test
  void votesBeyondTheCapAreCountedNotKept() {
    for (int i = 0; i < Election.MAX_VOTES + 20; i++) {
      vote(i, 1, ServerState.LOOKING, i % 2 == 0 ? 1 : 2, 1);
    }
    Election e = derive().get(0);
    assertThat(e.votes()).hasSize(Election.MAX_VOTES);
    assertThat(e.votesDropped()).isEqualTo(20);
  }
}
