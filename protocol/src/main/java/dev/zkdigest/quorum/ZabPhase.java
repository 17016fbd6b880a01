package dev.zkdigest.quorum;

/** Where a leader-learner connection is in ZAB's life cycle. */
public enum ZabPhase {
  /** Joined mid-stream: the handshake and sync were not seen, broadcast is assumed. */
  UNKNOWN,
  /** FOLLOWERINFO/OBSERVERINFO, LEADERINFO, ACKEPOCH: agreeing on the epoch. */
  HANDSHAKE,
  /** DIFF, TRUNC or SNAP up to UPTODATE: the learner catches up with the leader. */
  SYNC,
  /** After UPTODATE: proposals, acknowledgements and commits as they happen. */
  BROADCAST
}
