package dev.zkdigest.quorum;

/**
 * A server's state as a leader-election notification gives it ({@code QuorumPeer.ServerState}, sent
 * as its ordinal).
 */
public enum ServerState {
  LOOKING,
  FOLLOWING,
  LEADING,
  OBSERVING;

  private static final ServerState[] BY_ORDINAL = values();

  /** The state for a wire value, or null when ZooKeeper defines none. */
  public static ServerState of(int wire) {
    return wire >= 0 && wire < BY_ORDINAL.length ? BY_ORDINAL[wire] : null;
  }
}
