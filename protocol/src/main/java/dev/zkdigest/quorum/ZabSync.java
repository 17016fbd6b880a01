package dev.zkdigest.quorum;

/**
 * How a learner caught up with the leader on one connection: from FOLLOWERINFO (or OBSERVERINFO) to
 * UPTODATE.
 *
 * @param learnerSid the learner's id from its LearnerInfo, or -1
 * @param mode DIFF, TRUNC or SNAP (the first the leader sent), or null when the leader sent none
 * @param epoch the epoch the leader proposed in LEADERINFO, or -1
 * @param bytes bytes from the leader from the sync's first packet to UPTODATE, snapshot included
 * @param snapshotBytes bytes of the snapshot streamed after SNAP
 * @param proposals transactions replayed to the learner during the sync
 * @param complete false when the connection ended before UPTODATE, or bytes were lost
 */
public record ZabSync(
    long learnerSid,
    ZabType mode,
    long epoch,
    long startNanos,
    long endNanos,
    long bytes,
    long snapshotBytes,
    int proposals,
    boolean complete) {}
