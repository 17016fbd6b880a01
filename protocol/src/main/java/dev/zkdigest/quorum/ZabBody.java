package dev.zkdigest.quorum;

import dev.zkdigest.protocol.Op;

/**
 * What a {@code QuorumPacket}'s data holds, by packet type and direction. Deliberately not kept:
 * transaction bodies (paths, data, ACLs), the sessions a learner's ping touches (only their
 * number), the packet's auth identities, and the configuration text (only its version).
 */
public sealed interface ZabBody {

  /** No data, data we do not decode, or data the capture cut. */
  record None() implements ZabBody {
    public static final None INSTANCE = new None();
  }

  /**
   * FOLLOWERINFO and OBSERVERINFO: {@code LearnerInfo}. Fields the learner did not send are -1.
   *
   * @param protocolVersion {@code 0x10000} since 3.4
   */
  record LearnerInfo(long sid, int protocolVersion, long configVersion) implements ZabBody {}

  /** LEADERINFO: the leader's protocol version; the packet's zxid carries the new epoch. */
  record LeaderInfo(int protocolVersion) implements ZabBody {}

  /** ACKEPOCH: the learner's current epoch (-1: it had already accepted this epoch). */
  record AckEpoch(int currentEpoch) implements ZabBody {}

  /**
   * PROPOSAL and INFORM: the transaction header ({@code TxnHeader}).
   *
   * @param op the transaction type, or null when ZooKeeper defines none for {@code type}
   */
  record Txn(long sessionId, int cxid, long zxid, long time, int type, Op op) implements ZabBody {}

  /**
   * COMMITANDACTIVATE and INFORMANDACTIVATE (reconfiguration): the designated leader, and for
   * INFORMANDACTIVATE the transaction.
   */
  record Activate(long designatedLeader, Txn txn) implements ZabBody {}

  /**
   * REQUEST: a client request a learner forwards to the leader.
   *
   * @param op the request type, or null when ZooKeeper defines none for {@code type}
   */
  record ForwardedRequest(long sessionId, int cxid, int type, Op op) implements ZabBody {}

  /** PING from a learner: how many sessions it reports as touched. */
  record Touches(int sessions) implements ZabBody {}

  /** REVALIDATE from a learner: a client reconnected to it asks the leader about its session. */
  record Revalidate(long sessionId, int timeout) implements ZabBody {}

  /** REVALIDATE from the leader: its answer. */
  record RevalidateReply(long sessionId, boolean valid) implements ZabBody {}

  /** NEWLEADER: the version of the configuration it carries, or -1. */
  record NewLeader(long configVersion) implements ZabBody {}
}
