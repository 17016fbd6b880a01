package dev.zkdigest.quorum;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;

/**
 * One election connection between two servers, fed with the bytes of each direction as they arrive.
 * The connecting side ("client" in {@link ConnectionMeta}) introduces itself first; after that both
 * sides send notifications. ZooKeeper keeps a connection only when the connecting server's id is
 * the larger, so each pair of servers ends up with one connection; the others are closed right
 * after the initial message, which is still worth reading: it names the server.
 *
 * <p>Threading: not thread-safe; one thread at a time feeds a connection.
 */
public final class ElectionConnection {
  private final ConnectionMeta meta;
  private final QuorumListener listener;
  private final ElectionStream fromInitiator;
  private final ElectionStream fromAcceptor;
  private long initiatorSid = -1;
  private boolean tls;
  private boolean closed;

  public ElectionConnection(ConnectionMeta meta, QuorumListener listener) {
    this.meta = meta;
    this.listener = listener;
    this.fromInitiator =
        new ElectionStream(new Sink(Direction.CLIENT_TO_SERVER), true, meta.fromStart());
    this.fromAcceptor =
        new ElectionStream(new Sink(Direction.SERVER_TO_CLIENT), false, meta.fromStart());
    listener.opened(meta, QuorumProtocol.ELECTION);
  }

  public ConnectionMeta meta() {
    return meta;
  }

  /** The connecting server's id from its initial message, or -1 before (or without) it. */
  public long initiatorSid() {
    return initiatorSid;
  }

  /** Bytes from the connecting server. */
  public void fromClient(byte[] buf, int off, int len, long nanos) {
    if (!closed && len > 0) {
      listener.bytes(meta, QuorumProtocol.ELECTION, Direction.CLIENT_TO_SERVER, len, nanos);
      fromInitiator.feed(buf, off, len, nanos);
    }
  }

  /** Bytes from the accepting server. */
  public void fromServer(byte[] buf, int off, int len, long nanos) {
    if (!closed && len > 0) {
      listener.bytes(meta, QuorumProtocol.ELECTION, Direction.SERVER_TO_CLIENT, len, nanos);
      fromAcceptor.feed(buf, off, len, nanos);
    }
  }

  public void clientGap(long bytes, long nanos) {
    if (!closed && bytes > 0) {
      listener.skipped(meta, QuorumProtocol.ELECTION, Direction.CLIENT_TO_SERVER, bytes);
      fromInitiator.gap(bytes, nanos);
    }
  }

  public void serverGap(long bytes, long nanos) {
    if (!closed && bytes > 0) {
      listener.skipped(meta, QuorumProtocol.ELECTION, Direction.SERVER_TO_CLIENT, bytes);
      fromAcceptor.gap(bytes, nanos);
    }
  }

  /** Bytes held for messages in progress, for memory accounting. */
  public int bufferedBytes() {
    return fromInitiator.bufferedBytes() + fromAcceptor.bufferedBytes();
  }

  public void close(long nanos) {
    if (!closed) {
      closed = true;
      listener.closed(meta, QuorumProtocol.ELECTION, nanos);
    }
  }

  private final class Sink implements ElectionStream.Sink {
    private final Direction dir;

    Sink(Direction dir) {
      this.dir = dir;
    }

    /** The sender's id when this direction's sender introduced itself, else -1. */
    private long senderSid() {
      return dir == Direction.CLIENT_TO_SERVER ? initiatorSid : -1;
    }

    @Override
    public void initial(ElectionMessage.Initial message, int bytes, long nanos) {
      initiatorSid = message.sid();
      listener.election(meta, dir, message.sid(), message, nanos);
    }

    @Override
    public void frame(byte[] body, int retained, int length, boolean complete, long nanos) {
      ElectionMessage.Notification n;
      try {
        n = NotificationDecoder.decode(body, retained, length);
      } catch (NotificationDecoder.Malformed e) {
        listener.decodeError(meta, QuorumProtocol.ELECTION, dir, e.getMessage(), nanos);
        return;
      }
      if (n != null) {
        listener.election(meta, dir, senderSid(), n, nanos);
      }
    }

    @Override
    public void authPacket(int bytes, long nanos) {
      listener.authPacket(meta, QuorumProtocol.ELECTION, dir, nanos);
    }

    @Override
    public void tls(long nanos) {
      if (!tls) {
        tls = true;
        listener.tls(meta, QuorumProtocol.ELECTION, nanos);
      }
    }

    @Override
    public void invalid(String reason, long nanos) {
      listener.decodeError(meta, QuorumProtocol.ELECTION, dir, reason, nanos);
    }

    @Override
    public void skipped(long bytes) {
      listener.skipped(meta, QuorumProtocol.ELECTION, dir, bytes);
    }
  }
}
