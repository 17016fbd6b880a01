package dev.zkdigest.quorum;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;

/**
 * Receives what the quorum codecs make of server-to-server connections, as {@link
 * dev.zkdigest.protocol.TrafficListener} does for client connections. In {@link ConnectionMeta} the
 * "client" is the server that connected (on an election connection, the one that introduced itself;
 * on a ZAB connection, the learner) and the "server" the one that accepted (the leader); {@link
 * Direction#CLIENT_TO_SERVER} is from the first to the second. Every method has a no-op default.
 * Calls for one connection come from one thread at a time.
 */
public interface QuorumListener {

  default void opened(ConnectionMeta conn, QuorumProtocol protocol) {}

  /** Bytes seen on the wire in one direction (before any decoding). */
  default void bytes(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, int bytes, long nanos) {}

  /**
   * An initial message or a notification.
   *
   * @param senderSid the sender's id when its own connection said it (the initial message), else -1
   */
  default void election(
      ConnectionMeta conn, Direction dir, long senderSid, ElectionMessage message, long nanos) {}

  /**
   * A quorum packet.
   *
   * @param learnerSid the learner's id from its LearnerInfo, or -1 (joined mid-stream)
   * @param phase the part of the connection's life the packet belongs to
   */
  default void zab(
      ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket packet) {}

  /** A learner acknowledged a proposal the leader sent it on this connection. */
  default void proposalAcked(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long ackNanos) {}

  /** The leader committed a proposal it sent on this connection. */
  default void proposalCommitted(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long commitNanos) {}

  /** A learner's sync, at UPTODATE (or at the end of a connection that ended during it). */
  default void synced(ConnectionMeta conn, ZabSync sync) {}

  /**
   * The snapshot a leader streamed after SNAP went by.
   *
   * @param complete false when bytes of it were lost or it was not in ZooKeeper's layout (its end
   *     was then found by its signature)
   */
  default void snapshot(
      ConnectionMeta conn, long bytes, boolean complete, long startNanos, long endNanos) {}

  /** Quorum SASL ({@code QuorumAuthPacket}): counted only, its token never copied. */
  default void authPacket(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long nanos) {}

  /** The connection is TLS ({@code sslQuorum}): its bytes are counted, not decoded. */
  default void tls(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {}

  /** Bytes that could not be decoded: an implausible field, a malformed message. */
  default void decodeError(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, String reason, long nanos) {}

  /** Bytes skipped without decoding: lost by the capture, or passed over to regain sync. */
  default void skipped(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long bytes) {}

  default void closed(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {}
}
