package dev.zkdigest.agent;

import dev.zkdigest.protocol.ConnectionMeta;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One connection the agent taps, as the application's threads see it: its id in the hand-off and
 * how many bytes each direction has produced so far, so that the decoding thread finds the bytes a
 * full hand-off dropped (the next record's offset is past where the last one ended).
 *
 * <p>Threading: the offsets are added to by whichever application thread reads or writes (one at a
 * time per direction, as the socket is used); {@code closed} is set by any thread and read by the
 * decoding thread.
 */
final class TappedConnection {
  private static final VarHandle CLIENT_BYTES;
  private static final VarHandle SERVER_BYTES;

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      CLIENT_BYTES = l.findVarHandle(TappedConnection.class, "clientBytes", long.class);
      SERVER_BYTES = l.findVarHandle(TappedConnection.class, "serverBytes", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final long id;

  /** The SocketChannel or Netty Channel, for the sweep that finds connections closed unseen. */
  final Object key;

  final ConnectionMeta meta;

  @SuppressWarnings("unused") // through CLIENT_BYTES
  private long clientBytes;

  @SuppressWarnings("unused") // through SERVER_BYTES
  private long serverBytes;

  private volatile boolean closed;

  TappedConnection(long id, Object key, ConnectionMeta meta) {
    this.id = id;
    this.key = key;
    this.meta = meta;
  }

  /** Counts {@code n} more bytes of one direction; returns the stream offset of the first. */
  long advance(boolean fromClient, int n) {
    return (long) (fromClient ? CLIENT_BYTES : SERVER_BYTES).getAndAdd(this, (long) n);
  }

  void markClosed() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }
}
