package dev.zkdigest.quorum;

import java.util.List;

/**
 * One leader election as the traffic shows it: from the first LOOKING notification until every
 * server that was looking had been seen to follow or lead (see {@link Elections}).
 *
 * @param endNanos when the last looking server was seen to leave LOOKING, or -1 when none was (the
 *     capture saw no quorum traffic after the votes, or it ended first)
 * @param leader the winner's server id, or -1 when unknown
 * @param epoch the epoch the winner leads in (its LEADERINFO), or -1 when not seen
 * @param rounds rounds of voting: distinct election epochs (logical clocks) among LOOKING votes
 * @param looking the servers that were LOOKING, by id (or address when unknown)
 * @param votes each server's votes as they changed, in time order (at most {@link #MAX_VOTES})
 * @param notifications notifications sent during the election, every copy counted
 */
public record Election(
    long startNanos,
    long endNanos,
    long leader,
    long epoch,
    int rounds,
    List<String> looking,
    List<Vote> votes,
    long votesDropped,
    long notifications,
    long lastNoticeNanos) {

  /** Votes kept per election. */
  public static final int MAX_VOTES = 500;

  public Election {
    looking = List.copyOf(looking);
    votes = List.copyOf(votes);
  }

  /** Whether the end was seen (every looking server left LOOKING). */
  public boolean confirmed() {
    return endNanos >= 0;
  }

  public long durationNanos() {
    return endNanos >= 0 ? endNanos - startNanos : -1;
  }

  /**
   * A vote: a server's state and the leader it proposes or follows.
   *
   * @param server the sender's id, or -1 when unknown
   * @param address the sender's address when its id is unknown, else empty
   */
  public record Vote(
      long nanos,
      long server,
      String address,
      ServerState state,
      long leader,
      long zxid,
      long electionEpoch,
      long peerEpoch) {

    /** The sender as people read it: its id, or its address. */
    public String serverName() {
      return server >= 0 ? Long.toString(server) : address;
    }
  }
}
