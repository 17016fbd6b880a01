package dev.zkdigest.agent.bootstrap;

import java.nio.ByteBuffer;

/**
 * What the bridge hands tapped bytes to: the agent's hand-off, loaded by the agent's own class
 * loader. Implementations never block and never throw.
 */
public interface TapSink {
  /** The agent sits in a ZooKeeper client: bytes written are the client's. */
  int CLIENT_SIDE = 0;

  /** The agent sits in a ZooKeeper server: bytes read are the client's. */
  int SERVER_SIDE = 1;

  /**
   * Bytes {@code from} (inclusive) to {@code to} (exclusive) of {@code buf}, absolute indexes, that
   * ZooKeeper just read ({@code outbound} false) or wrote on {@code connection}. The buffer's
   * position and limit are left as they are.
   */
  void bytes(Object connection, int side, boolean outbound, ByteBuffer buf, int from, int to);

  /** The connection is closing or closed. */
  void closed(Object connection);
}
