package dev.zkdigest.quorum;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.Op;
import java.nio.charset.StandardCharsets;

/**
 * One connection between a learner (follower or observer, the "client" in {@link ConnectionMeta})
 * and its leader, fed with the bytes of each direction as they arrive. Besides decoding packets it
 * follows the connection through its phases ({@link ZabPhase}) to report the learner's sync, and
 * matches the learner's ACKs and the leader's COMMITs to the proposals sent on it.
 *
 * <p>Threading: not thread-safe; one thread at a time feeds a connection, and every field below is
 * confined to it.
 */
public final class ZabConnection {
  /** Proposals awaiting their ACK or COMMIT, per connection. */
  static final int MAX_PENDING = 4096;

  private static final int LEARNER_SID = 8;
  private static final int LEARNER_PROTOCOL = 12;
  private static final int LEARNER_CONFIG = 20;
  private static final int REVALIDATE_REQUEST = 12;
  private static final int REVALIDATE_REPLY = 9;
  private static final int SESSION_TOUCH = 12;
  private static final int DESIGNATED_LEADER = 8;

  private final ConnectionMeta meta;
  private final QuorumListener listener;
  private final ZabStream fromLearner;
  private final ZabStream fromLeader;
  private final PendingProposals pending = new PendingProposals(MAX_PENDING);

  private ZabPhase phase;
  private long learnerSid = -1;
  private boolean tls;
  private boolean closed;

  // The sync in progress: from LearnerInfo to UPTODATE.
  private long syncStart = -1;
  private ZabType syncMode;
  private long syncEpoch = -1;
  private long syncBytes;
  private long syncSnapshotBytes;
  private int syncProposals;
  private boolean syncComplete = true;

  public ZabConnection(ConnectionMeta meta, QuorumListener listener) {
    this.meta = meta;
    this.listener = listener;
    this.phase = meta.fromStart() ? ZabPhase.HANDSHAKE : ZabPhase.UNKNOWN;
    this.fromLearner = new ZabStream(new Sink(Direction.CLIENT_TO_SERVER), false, meta.fromStart());
    this.fromLeader = new ZabStream(new Sink(Direction.SERVER_TO_CLIENT), true, meta.fromStart());
    listener.opened(meta, QuorumProtocol.ZAB);
  }

  public ConnectionMeta meta() {
    return meta;
  }

  public ZabPhase phase() {
    return phase;
  }

  /** The learner's id from its LearnerInfo, or -1. */
  public long learnerSid() {
    return learnerSid;
  }

  /** Proposals awaiting their ACK or COMMIT. */
  public int pendingCount() {
    return pending.size();
  }

  /** Bytes from the learner. */
  public void fromClient(byte[] buf, int off, int len, long nanos) {
    if (!closed && len > 0) {
      listener.bytes(meta, QuorumProtocol.ZAB, Direction.CLIENT_TO_SERVER, len, nanos);
      fromLearner.feed(buf, off, len, nanos);
    }
  }

  /** Bytes from the leader. */
  public void fromServer(byte[] buf, int off, int len, long nanos) {
    if (!closed && len > 0) {
      listener.bytes(meta, QuorumProtocol.ZAB, Direction.SERVER_TO_CLIENT, len, nanos);
      fromLeader.feed(buf, off, len, nanos);
    }
  }

  public void clientGap(long bytes, long nanos) {
    if (!closed && bytes > 0) {
      listener.skipped(meta, QuorumProtocol.ZAB, Direction.CLIENT_TO_SERVER, bytes);
      fromLearner.gap(bytes, nanos);
    }
  }

  public void serverGap(long bytes, long nanos) {
    if (!closed && bytes > 0) {
      listener.skipped(meta, QuorumProtocol.ZAB, Direction.SERVER_TO_CLIENT, bytes);
      if (phase == ZabPhase.SYNC) {
        syncBytes += bytes;
        syncComplete = false;
      }
      fromLeader.gap(bytes, nanos);
    }
  }

  /** Bytes held for packets in progress, for memory accounting. */
  public int bufferedBytes() {
    return fromLearner.bufferedBytes() + fromLeader.bufferedBytes();
  }

  /** The connection ended: a sync still in progress is reported as incomplete. */
  public void close(long nanos) {
    if (closed) {
      return;
    }
    closed = true;
    if (syncStart >= 0 && (phase == ZabPhase.HANDSHAKE || phase == ZabPhase.SYNC)) {
      syncComplete = false;
      reportSync(nanos);
    }
    listener.closed(meta, QuorumProtocol.ZAB, nanos);
  }

  private void onPacket(
      Direction dir,
      int wireType,
      long zxid,
      int dataLength,
      byte[] data,
      int retained,
      long bytes,
      boolean complete,
      long nanos) {
    ZabType type = ZabType.of(wireType);
    boolean fromLeader = dir == Direction.SERVER_TO_CLIENT;
    ZabBody body;
    try {
      body = body(type, fromLeader, dataLength, data, retained, complete);
    } catch (Truncated e) {
      listener.decodeError(
          meta, QuorumProtocol.ZAB, dir, "truncated " + type + " data of " + dataLength, nanos);
      body = ZabBody.None.INSTANCE;
    }
    ZabPacket packet = new ZabPacket(type, zxid, dataLength, body, bytes, nanos, complete);
    ZabPhase before = phase;
    ZabPhase at = enter(type, fromLeader, packet);
    listener.zab(meta, dir, learnerSid, at, packet);
    if (at == ZabPhase.SYNC && fromLeader) {
      syncBytes += bytes;
      if (type == ZabType.PROPOSAL) {
        syncProposals++;
      }
    }
    if (type == ZabType.UPTODATE && fromLeader && before != ZabPhase.BROADCAST) {
      if (syncStart >= 0) {
        reportSync(nanos);
      }
      phase = ZabPhase.BROADCAST;
    }
    if (at == ZabPhase.BROADCAST || at == ZabPhase.UNKNOWN) {
      match(type, fromLeader, zxid, nanos);
    }
  }

  /** Moves through the phases on the packets that mark them; returns the packet's phase. */
  private ZabPhase enter(ZabType type, boolean fromLeader, ZabPacket packet) {
    switch (type) {
      case FOLLOWERINFO, OBSERVERINFO -> {
        if (!fromLeader) {
          if (packet.body() instanceof ZabBody.LearnerInfo li && li.sid() >= 0) {
            learnerSid = li.sid();
          }
          phase = ZabPhase.HANDSHAKE;
          startSync(packet.nanos());
        }
      }
      case LEADERINFO -> {
        if (fromLeader) {
          syncEpoch = packet.epoch();
          if (phase == ZabPhase.UNKNOWN) {
            phase = ZabPhase.HANDSHAKE;
          }
        }
      }
      case DIFF, TRUNC, SNAP, NEWLEADER -> {
        if (fromLeader && (phase == ZabPhase.HANDSHAKE || phase == ZabPhase.UNKNOWN)) {
          phase = ZabPhase.SYNC;
          if (type != ZabType.NEWLEADER) {
            syncMode = type;
          }
          if (syncEpoch < 0 && type == ZabType.NEWLEADER) {
            syncEpoch = packet.epoch();
          }
        } else if (fromLeader && phase == ZabPhase.SYNC && syncMode == null) {
          syncMode = type == ZabType.NEWLEADER ? null : type;
        }
      }
      default -> {}
    }
    return phase;
  }

  private void startSync(long nanos) {
    syncStart = nanos;
    syncMode = null;
    syncEpoch = -1;
    syncBytes = 0;
    syncSnapshotBytes = 0;
    syncProposals = 0;
    syncComplete = true;
  }

  private void reportSync(long endNanos) {
    listener.synced(
        meta,
        new ZabSync(
            learnerSid,
            syncMode,
            syncEpoch,
            syncStart,
            endNanos,
            syncBytes,
            syncSnapshotBytes,
            syncProposals,
            syncComplete));
    syncStart = -1;
  }

  /** Matches ACKs and COMMITs to the proposals this connection carried. */
  private void match(ZabType type, boolean fromLeader, long zxid, long nanos) {
    switch (type) {
      case PROPOSAL -> {
        if (fromLeader) {
          pending.add(zxid, nanos);
        }
      }
      case ACK -> {
        if (!fromLeader) {
          long proposed = pending.acked(zxid);
          if (proposed >= 0) {
            listener.proposalAcked(meta, learnerSid, zxid, proposed, nanos);
          }
        }
      }
      case COMMIT, COMMITANDACTIVATE -> {
        if (fromLeader) {
          long proposed = pending.committed(zxid);
          if (proposed >= 0) {
            listener.proposalCommitted(meta, learnerSid, zxid, proposed, nanos);
          }
        }
      }
      default -> {}
    }
  }

  /** The data cut short although the capture kept all of it. */
  private static final class Truncated extends Exception {
    static final Truncated INSTANCE = new Truncated();

    private Truncated() {
      super(null, null, false, false);
    }
  }

  /** What the data holds, for this type and direction. */
  private static ZabBody body(
      ZabType type, boolean fromLeader, int dataLength, byte[] d, int retained, boolean complete)
      throws Truncated {
    if (dataLength <= 0) {
      return switch (type) {
        case FOLLOWERINFO, OBSERVERINFO -> new ZabBody.LearnerInfo(-1, -1, -1);
        case PING -> fromLeader ? ZabBody.None.INSTANCE : new ZabBody.Touches(0);
        case NEWLEADER -> new ZabBody.NewLeader(-1);
        default -> ZabBody.None.INSTANCE;
      };
    }
    return switch (type) {
      case FOLLOWERINFO, OBSERVERINFO -> {
        if (!need(LEARNER_SID, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield new ZabBody.LearnerInfo(
            FieldReader.longAt(d, 0),
            retained >= LEARNER_PROTOCOL ? FieldReader.intAt(d, 8) : -1,
            retained >= LEARNER_CONFIG ? FieldReader.longAt(d, 12) : -1);
      }
      case LEADERINFO -> {
        if (!need(4, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield new ZabBody.LeaderInfo(FieldReader.intAt(d, 0));
      }
      case ACKEPOCH -> {
        if (!need(4, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield new ZabBody.AckEpoch(FieldReader.intAt(d, 0));
      }
      case PROPOSAL, INFORM -> {
        if (!need(ZabType.TXN_HEADER, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield txn(d, 0);
      }
      case INFORMANDACTIVATE -> {
        if (!need(DESIGNATED_LEADER + ZabType.TXN_HEADER, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield new ZabBody.Activate(FieldReader.longAt(d, 0), txn(d, DESIGNATED_LEADER));
      }
      case COMMITANDACTIVATE -> {
        if (!need(DESIGNATED_LEADER, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield new ZabBody.Activate(FieldReader.longAt(d, 0), null);
      }
      case REQUEST -> {
        if (!need(ZabType.REQUEST_HEADER, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        int t = FieldReader.intAt(d, 12);
        yield new ZabBody.ForwardedRequest(
            FieldReader.longAt(d, 0), FieldReader.intAt(d, 8), t, Op.of(t));
      }
      case PING ->
          fromLeader ? ZabBody.None.INSTANCE : new ZabBody.Touches(dataLength / SESSION_TOUCH);
      case REVALIDATE -> {
        if (fromLeader) {
          if (!need(REVALIDATE_REPLY, dataLength, retained, complete)) {
            yield ZabBody.None.INSTANCE;
          }
          yield new ZabBody.RevalidateReply(FieldReader.longAt(d, 0), d[8] != 0);
        }
        if (!need(REVALIDATE_REQUEST, dataLength, retained, complete)) {
          yield ZabBody.None.INSTANCE;
        }
        yield new ZabBody.Revalidate(FieldReader.longAt(d, 0), FieldReader.intAt(d, 8));
      }
      case NEWLEADER -> new ZabBody.NewLeader(configVersion(d, retained, dataLength));
      default -> ZabBody.None.INSTANCE;
    };
  }

  /**
   * Whether {@code n} data bytes are at hand. False when the capture cut them ({@link ZabBody.None}
   * is all there is); a packet whose data is itself too short is malformed.
   */
  private static boolean need(int n, int dataLength, int retained, boolean complete)
      throws Truncated {
    if (retained >= n) {
      return true;
    }
    if (complete || dataLength < n) {
      throw Truncated.INSTANCE;
    }
    return false;
  }

  private static ZabBody.Txn txn(byte[] d, int at) {
    int type = FieldReader.intAt(d, at + 28);
    return new ZabBody.Txn(
        FieldReader.longAt(d, at),
        FieldReader.intAt(d, at + 8),
        FieldReader.longAt(d, at + 12),
        FieldReader.longAt(d, at + 20),
        type,
        Op.of(type));
  }

  /** The {@code version=} line of a NEWLEADER's configuration, or -1. */
  private static long configVersion(byte[] d, int retained, int dataLength) {
    if (retained < dataLength) {
      return -1;
    }
    return QuorumConfig.parse(new String(d, 0, retained, StandardCharsets.UTF_8)).version();
  }

  private final class Sink implements ZabStream.Sink {
    private final Direction dir;

    Sink(Direction dir) {
      this.dir = dir;
    }

    @Override
    public void packet(
        int type,
        long zxid,
        int dataLength,
        byte[] data,
        int retained,
        long bytes,
        boolean complete,
        long nanos) {
      onPacket(dir, type, zxid, dataLength, data, retained, bytes, complete, nanos);
    }

    @Override
    public void snapshot(long bytes, boolean complete, long startNanos, long endNanos) {
      if (phase == ZabPhase.SYNC) {
        syncBytes += bytes;
        syncSnapshotBytes += bytes;
        syncComplete &= complete;
      }
      listener.snapshot(meta, bytes, complete, startNanos, endNanos);
    }

    @Override
    public void authPacket(long nanos) {
      listener.authPacket(meta, QuorumProtocol.ZAB, dir, nanos);
    }

    @Override
    public void tls(long nanos) {
      if (!tls) {
        tls = true;
        listener.tls(meta, QuorumProtocol.ZAB, nanos);
      }
    }

    @Override
    public void invalid(String reason, long nanos) {
      listener.decodeError(meta, QuorumProtocol.ZAB, dir, reason, nanos);
    }

    @Override
    public void skipped(long bytes) {
      listener.skipped(meta, QuorumProtocol.ZAB, dir, bytes);
    }
  }
}
