package dev.zkdigest.protocol;

/**
 * Receives what the protocol core makes of a connection's bytes. Every method has a no-op default
 * so a listener implements only what it uses. Calls for one connection come from one thread at a
 * time; calls for different connections may come from different threads.
 */
public interface TrafficListener {

  default void opened(ConnectionMeta conn) {}

  /** Bytes seen on the wire in one direction (before any decoding). */
  default void bytes(ConnectionMeta conn, Direction dir, int bytes, long nanos) {}

  /** A request frame, counted as the client wrote it, the handshake included. */
  default void request(ConnectionMeta conn, long sessionId, ZkRequest request) {}

  /** A reply matched to its request. */
  default void exchange(ConnectionMeta conn, long sessionId, ZkRequest request, ZkReply reply) {}

  /** A reply whose request we did not see (it predates the capture, or was lost). */
  default void unmatched(ConnectionMeta conn, long sessionId, ZkReply reply) {}

  default void event(ConnectionMeta conn, long sessionId, WatchEvent event) {}

  /**
   * A four-letter-word connection, reported when it ends.
   *
   * @param answerBytes bytes the server answered with
   */
  default void fourLetterWord(
      ConnectionMeta conn, String command, long requestNanos, long answerBytes, long endNanos) {}

  /** A request still waiting for its reply when the connection ended or the input did. */
  default void pending(ConnectionMeta conn, long sessionId, ZkRequest request) {}

  /** Bytes that could not be decoded: a malformed frame, an implausible length, a bad record. */
  default void decodeError(ConnectionMeta conn, Direction dir, String reason, long nanos) {}

  /** Bytes skipped without decoding: lost by the capture, or passed over to regain sync. */
  default void skipped(ConnectionMeta conn, Direction dir, long bytes) {}

  default void closed(ConnectionMeta conn, long nanos) {}

  /**
   * A front end did not analyse a flow (it is not to a known ZooKeeper server): reported once per
   * flow with {@code flows} 1, then for its further bytes with {@code flows} 0, so nothing it saw
   * is dropped in silence.
   *
   * @param server the flow's server end as {@code host:port} (its destination when unsure)
   */
  default void ignored(String server, int flows, long bytes) {}
}
