package dev.zkdigest.protocol;

import java.util.ArrayDeque;

/**
 * The protocol core's entry point: the state of one ZooKeeper client connection, fed with the bytes
 * of each direction as they arrive (from a proxy, a live capture or a capture file) and reporting
 * requests, replies matched by xid, watch events and four-letter words to a {@link
 * TrafficListener}.
 *
 * <p>The handshake is recognised by its position (the first frame of a connection seen from its
 * start), never by its size alone. Replies carry no opcode, so they are matched to requests by xid:
 * ordinary xids through a map, the control xids (-2 ping, -4 auth, -8 setWatches) first-in
 * first-out because clients may pipeline them.
 *
 * <p>Threading: not thread-safe. One thread at a time feeds a connection (its Netty event loop, or
 * the capture's decoding thread); all fields below are confined to that thread.
 */
public final class ZkConnection {
  private static final int XID_NOTIFICATION = -1;
  private static final int XID_PING = -2;
  private static final int XID_AUTH = -4;
  private static final int XID_SET_WATCHES = -8;

  private static final int REQUEST_HEADER = 8;
  private static final int REPLY_HEADER = 16;
  private static final int CONNECT_REQUEST_MIN = 28;
  private static final int CONNECT_RESPONSE_MIN = 20;

  private final ConnectionMeta meta;
  private final TrafficListener listener;
  private final ProtocolConfig config;
  private final FrameDecoder clientFrames;
  private final FrameDecoder serverFrames;

  private long sessionId;
  private boolean clientHandshakeNext;
  private boolean serverHandshakeNext;
  private ZkRequest pendingConnect;
  private final PendingRequests pending = new PendingRequests();

  /**
   * Requests with a control xid (ping, auth, setWatches), each kind first-in first-out; a queue is
   * made on first use, since auth and setWatches are rare and connections add up by the hundred
   * thousand.
   */
  @SuppressWarnings("unchecked")
  private final ArrayDeque<ZkRequest>[] control = new ArrayDeque[3];

  private final String[] pathOut = new String[1];

  /** Reads every frame's records in turn: frames are decoded one at a time, never nested. */
  private final JuteInput in = new JuteInput(new byte[0], 0, 0);

  private String fourLetterWord;
  private long fourLetterNanos;
  private long fourLetterAnswer;
  private long lastNanos;
  private boolean closed;

  /** A connection with a retain budget of its own (two frames of {@code retainLimit}). */
  public ZkConnection(ConnectionMeta meta, ProtocolConfig config, TrafficListener listener) {
    this(meta, config, listener, new RetainBudget(2L * config.retainLimit()));
  }

  /**
   * A connection whose large frames in progress borrow from {@code budget}, shared with the other
   * connections of the same front end.
   */
  public ZkConnection(
      ConnectionMeta meta, ProtocolConfig config, TrafficListener listener, RetainBudget budget) {
    this.meta = meta;
    this.listener = listener;
    this.config = config;
    boolean fromStart = meta.fromStart();
    this.clientHandshakeNext = fromStart;
    this.serverHandshakeNext = fromStart;
    this.clientFrames =
        new FrameDecoder(
            new ClientSink(),
            REQUEST_HEADER,
            config.maxFrame(),
            config.retainLimit(),
            budget,
            fromStart);
    this.serverFrames =
        new FrameDecoder(
            new ServerSink(),
            REPLY_HEADER,
            config.maxFrame(),
            config.retainLimit(),
            budget,
            fromStart);
    this.lastNanos = meta.openedNanos();
    listener.opened(meta);
  }

  public ConnectionMeta meta() {
    return meta;
  }

  /** The session id from the handshake, or 0 if it has not been seen. */
  public long sessionId() {
    return sessionId;
  }

  public void fromClient(byte[] buf, int off, int len, long nanos) {
    if (closed || len <= 0) {
      return;
    }
    lastNanos = nanos;
    listener.bytes(meta, Direction.CLIENT_TO_SERVER, len, nanos);
    clientFrames.feed(buf, off, len, nanos);
  }

  public void fromServer(byte[] buf, int off, int len, long nanos) {
    if (closed || len <= 0) {
      return;
    }
    lastNanos = nanos;
    listener.bytes(meta, Direction.SERVER_TO_CLIENT, len, nanos);
    serverFrames.feed(buf, off, len, nanos);
  }

  /** {@code bytes} sent by the client were not captured. */
  public void clientGap(long bytes, long nanos) {
    if (!closed && bytes > 0) {
      listener.skipped(meta, Direction.CLIENT_TO_SERVER, bytes);
      clientFrames.gap(bytes, nanos);
    }
  }

  /** {@code bytes} sent by the server were not captured. */
  public void serverGap(long bytes, long nanos) {
    if (!closed && bytes > 0) {
      listener.skipped(meta, Direction.SERVER_TO_CLIENT, bytes);
      serverFrames.gap(bytes, nanos);
    }
  }

  /**
   * Whether the direction's frame boundaries are known. Until they are, each chunk is judged from
   * its first bytes, so a front end whose chunks can be shorter than a frame header (the agent, fed
   * by ZooKeeper's own reads of a length, then a body) joins such a chunk to the next.
   */
  public boolean synced(Direction dir) {
    return dir == Direction.CLIENT_TO_SERVER ? clientFrames.synced() : serverFrames.synced();
  }

  /** Number of requests awaiting a reply. */
  public int pendingCount() {
    return pending.size() + controlCount() + (pendingConnect != null ? 1 : 0);
  }

  /** Bytes buffered for frames in progress, for memory accounting. */
  public int bufferedBytes() {
    return clientFrames.bufferedBytes() + serverFrames.bufferedBytes();
  }

  /** The connection ended (FIN, RST, end of input): reports what was left unanswered. */
  public void close(long nanos) {
    if (closed) {
      return;
    }
    closed = true;
    clientFrames.release();
    serverFrames.release();
    if (fourLetterWord != null) {
      listener.fourLetterWord(meta, fourLetterWord, fourLetterNanos, fourLetterAnswer, lastNanos);
    }
    if (pendingConnect != null) {
      listener.pending(meta, sessionId, pendingConnect);
      pendingConnect = null;
    }
    pending.forEach(r -> listener.pending(meta, sessionId, r));
    for (ArrayDeque<ZkRequest> q : control) {
      if (q == null) {
        continue;
      }
      for (ZkRequest r : q) {
        listener.pending(meta, sessionId, r);
      }
      q.clear();
    }
    pending.clear();
    listener.closed(meta, Math.max(nanos, lastNanos));
  }

  // ---- client to server ----

  private void onClientFrame(
      byte[] body, int offset, int retained, int length, boolean complete, long endNanos) {
    int frameBytes = length + 4;
    boolean whole = complete && retained == length;
    JuteInput in = this.in.reset(body, offset, offset + retained);
    if (clientHandshakeNext) {
      clientHandshakeNext = false;
      RequestBody.Connect connect = null;
      try {
        connect = RecordDecoder.connectRequest(in);
      } catch (JuteInput.JuteUnderflow e) {
        if (whole) {
          clientError("truncated ConnectRequest", endNanos);
          return;
        }
      } catch (JuteInput.JuteMalformed e) {
        clientError("malformed ConnectRequest", endNanos);
        return;
      }
      ZkRequest req =
          new ZkRequest(
              0,
              Op.CONNECT,
              null,
              connect != null ? connect : RequestBody.None.INSTANCE,
              frameBytes,
              endNanos,
              complete);
      listener.request(meta, sessionId, req);
      if (pendingConnect != null) {
        listener.pending(meta, sessionId, pendingConnect);
      }
      pendingConnect = req;
      serverHandshakeNext = true;
      return;
    }
    if (retained < REQUEST_HEADER) {
      if (complete) {
        clientError("request frame too short for its header", endNanos);
      }
      return; // else the capture cut its header: its bytes are already counted as skipped
    }
    int xid = in.readInt();
    int type = in.readInt();
    Op op = Op.of(type);
    if (op == null || !op.isClientRequest()) {
      clientError("unknown request opcode " + type, endNanos);
      return;
    }
    RequestBody rb = RequestBody.None.INSTANCE;
    pathOut[0] = null;
    try {
      rb = RecordDecoder.request(op, in, pathOut);
    } catch (JuteInput.JuteUnderflow e) {
      if (whole) {
        clientError("truncated " + op.zkName() + " request", endNanos);
      }
    } catch (JuteInput.JuteMalformed e) {
      clientError("malformed " + op.zkName() + " request", endNanos);
    }
    ZkRequest req = new ZkRequest(xid, op, pathOut[0], rb, frameBytes, endNanos, complete);
    listener.request(meta, sessionId, req);
    int kind = controlKind(xid);
    switch (kind) {
      case 0, 1, 2 -> enqueue(kind, req);
      default -> {
        if (pending.size() >= config.maxPending()) {
          listener.pending(meta, sessionId, pending.pollOldest());
        }
        ZkRequest previous = pending.put(req);
        if (previous != null) {
          listener.pending(meta, sessionId, previous);
        }
      }
    }
  }

  /** 0, 1, 2 for the control xids (ping, auth, setWatches); -1 for any other. */
  private static int controlKind(int xid) {
    return switch (xid) {
      case XID_PING -> 0;
      case XID_AUTH -> 1;
      case XID_SET_WATCHES -> 2;
      default -> -1;
    };
  }

  private int controlCount() {
    int n = 0;
    for (ArrayDeque<ZkRequest> q : control) {
      n += q == null ? 0 : q.size();
    }
    return n;
  }

  private void enqueue(int kind, ZkRequest req) {
    if (control[kind] == null) {
      control[kind] = new ArrayDeque<>(2);
    }
    ArrayDeque<ZkRequest> queue = control[kind];
    if (queue.size() >= config.maxPending()) {
      listener.pending(meta, sessionId, queue.poll());
    }
    queue.add(req);
  }

  private void clientError(String reason, long nanos) {
    listener.decodeError(meta, Direction.CLIENT_TO_SERVER, reason, nanos);
  }

  // ---- server to client ----

  private void onServerFrame(
      byte[] body, int offset, int retained, int length, boolean complete, long startNanos) {
    int frameBytes = length + 4;
    boolean whole = complete && retained == length;
    JuteInput in = this.in.reset(body, offset, offset + retained);
    if (serverHandshakeNext) {
      serverHandshakeNext = false;
      ReplyBody.Connect connect;
      try {
        connect = RecordDecoder.connectResponse(in);
      } catch (JuteInput.JuteUnderflow | JuteInput.JuteMalformed e) {
        serverError("malformed ConnectResponse", startNanos);
        return;
      }
      // A session id of 0 is the server turning the session down (expired or unknown).
      int err = connect.sessionId() == 0 ? KeeperErrors.SESSIONEXPIRED : KeeperErrors.OK;
      if (connect.sessionId() != 0) {
        sessionId = connect.sessionId();
      }
      ZkReply reply = new ZkReply(0, 0, err, connect, frameBytes, startNanos, complete);
      if (pendingConnect != null) {
        ZkRequest req = pendingConnect;
        pendingConnect = null;
        listener.exchange(meta, sessionId, req, reply);
      } else {
        listener.unmatched(meta, sessionId, reply);
      }
      return;
    }
    if (retained < REPLY_HEADER) {
      if (complete) {
        serverError("reply frame too short for its header", startNanos);
      }
      return; // else the capture cut its header: its bytes are already counted as skipped
    }
    int xid = in.readInt();
    long zxid = in.readLong();
    int err = in.readInt();
    if (xid == XID_NOTIFICATION) {
      try {
        listener.event(meta, sessionId, RecordDecoder.watchEvent(in, frameBytes, startNanos));
      } catch (JuteInput.JuteUnderflow e) {
        if (whole) {
          serverError("truncated WatcherEvent", startNanos);
        } else {
          listener.event(meta, sessionId, new WatchEvent(0, 0, null, frameBytes, startNanos));
        }
      } catch (JuteInput.JuteMalformed e) {
        serverError("malformed WatcherEvent", startNanos);
      }
      return;
    }
    int kind = controlKind(xid);
    ZkRequest req =
        kind < 0 ? pending.remove(xid) : control[kind] == null ? null : control[kind].poll();
    ReplyBody rb = ReplyBody.None.INSTANCE;
    if (req != null && (err == 0 || req.op() == Op.MULTI || req.op() == Op.MULTI_READ)) {
      try {
        rb = RecordDecoder.reply(req.op(), in);
        if (rb instanceof ReplyBody.Multi m && !m.complete() && whole && err == 0) {
          serverError("truncated " + req.op().zkName() + " reply", startNanos);
        }
      } catch (JuteInput.JuteUnderflow e) {
        if (whole && err == 0) {
          serverError("truncated " + req.op().zkName() + " reply", startNanos);
        }
      } catch (JuteInput.JuteMalformed e) {
        if (err == 0) {
          serverError("malformed " + req.op().zkName() + " reply", startNanos);
        }
      }
    }
    ZkReply reply = new ZkReply(xid, zxid, err, rb, frameBytes, startNanos, complete);
    if (req == null) {
      listener.unmatched(meta, sessionId, reply);
    } else {
      listener.exchange(meta, sessionId, req, reply);
    }
  }

  private void serverError(String reason, long nanos) {
    listener.decodeError(meta, Direction.SERVER_TO_CLIENT, reason, nanos);
  }

  // ---- regaining sync mid-stream ----

  private static long longAt(byte[] b, int off) {
    return ((long) JuteInput.intAt(b, off) << 32) | (JuteInput.intAt(b, off + 4) & 0xffffffffL);
  }

  /** A ConnectRequest or ConnectResponse: protocol version 0 and a password of up to 16 bytes. */
  private static boolean looksLikeHandshake(byte[] b, int off, int len, int fixed, int passwordAt) {
    if (len < passwordAt + 4) {
      return false;
    }
    int frame = JuteInput.intAt(b, off);
    int pw = JuteInput.intAt(b, off + passwordAt);
    return JuteInput.intAt(b, off + 4) == 0
        && pw >= 0
        && pw <= 16
        && (frame == fixed + pw || frame == fixed + pw + 1);
  }

  /** After a frame that ends inside the chunk, the next length must be sane too. */
  private boolean nextLengthSane(byte[] b, int off, int len, int frame, int min) {
    long next = 4L + frame;
    if (next + 4 > len) {
      return true;
    }
    int l = JuteInput.intAt(b, off + (int) next);
    return l >= min && l <= config.maxFrame();
  }

  private boolean plausibleRequest(byte[] b, int off, int len) {
    if (len >= 4 + CONNECT_REQUEST_MIN
        && looksLikeHandshake(b, off, len, CONNECT_REQUEST_MIN, 4 + 24)) {
      clientHandshakeNext = true;
      return true;
    }
    if (len < 12) {
      return false;
    }
    int frame = JuteInput.intAt(b, off);
    if (frame < REQUEST_HEADER || frame > config.maxFrame()) {
      return false;
    }
    int xid = JuteInput.intAt(b, off + 4);
    Op op = Op.of(JuteInput.intAt(b, off + 8));
    if (op == null || !op.isClientRequest()) {
      return false;
    }
    boolean xidFits =
        switch (xid) {
          case XID_PING -> op == Op.PING;
          case XID_AUTH -> op == Op.AUTH;
          case XID_SET_WATCHES -> op == Op.SET_WATCHES || op == Op.SET_WATCHES2;
          default -> xid > 0 && op != Op.PING;
        };
    return xidFits && nextLengthSane(b, off, len, frame, REQUEST_HEADER);
  }

  private boolean plausibleReply(byte[] b, int off, int len) {
    if ((pendingConnect != null || serverHandshakeNext)
        && len >= 4 + CONNECT_RESPONSE_MIN
        && looksLikeHandshake(b, off, len, CONNECT_RESPONSE_MIN, 4 + 16)) {
      serverHandshakeNext = true;
      return true;
    }
    if (len < 20) {
      return false;
    }
    int frame = JuteInput.intAt(b, off);
    if (frame < REPLY_HEADER || frame > config.maxFrame()) {
      return false;
    }
    int xid = JuteInput.intAt(b, off + 4);
    long zxid = longAt(b, off + 8);
    int err = JuteInput.intAt(b, off + 16);
    if (!KeeperErrors.isKnown(err)) {
      return false;
    }
    boolean fits;
    if (xid == XID_NOTIFICATION) {
      fits =
          zxid == -1
              && err == 0
              && frame >= REPLY_HEADER + 12
              && (len < 24 || WatchEvents.isKnownType(JuteInput.intAt(b, off + 20)));
    } else {
      fits =
          (xid > 0 || xid == XID_PING || xid == XID_AUTH || xid == XID_SET_WATCHES) && zxid >= -1;
    }
    return fits && nextLengthSane(b, off, len, frame, REPLY_HEADER);
  }

  private final class ClientSink implements FrameDecoder.Sink {
    @Override
    public void frame(
        byte[] body,
        int offset,
        int retained,
        int length,
        boolean complete,
        long startNanos,
        long end) {
      onClientFrame(body, offset, retained, length, complete, end);
    }

    @Override
    public boolean firstWord(int word, long nanos) {
      String cmd = FourLetterWords.of(word);
      if (cmd == null) {
        return false;
      }
      fourLetterWord = cmd;
      fourLetterNanos = nanos;
      clientHandshakeNext = false;
      serverHandshakeNext = false;
      serverFrames.switchToRaw();
      return true;
    }

    @Override
    public boolean plausibleFrameAt(byte[] buf, int off, int len) {
      return plausibleRequest(buf, off, len);
    }

    @Override
    public void raw(int bytes, long nanos) {}

    @Override
    public void invalid(String reason, long nanos) {
      clientError(reason, nanos);
    }

    @Override
    public void skipped(long bytes) {
      listener.skipped(meta, Direction.CLIENT_TO_SERVER, bytes);
    }
  }

  private final class ServerSink implements FrameDecoder.Sink {
    @Override
    public void frame(
        byte[] body,
        int offset,
        int retained,
        int length,
        boolean complete,
        long startNanos,
        long end) {
      onServerFrame(body, offset, retained, length, complete, startNanos);
    }

    @Override
    public boolean firstWord(int word, long nanos) {
      return false;
    }

    @Override
    public boolean plausibleFrameAt(byte[] buf, int off, int len) {
      return plausibleReply(buf, off, len);
    }

    @Override
    public void raw(int bytes, long nanos) {
      fourLetterAnswer += bytes;
    }

    @Override
    public void invalid(String reason, long nanos) {
      serverError(reason, nanos);
    }

    @Override
    public void skipped(long bytes) {
      listener.skipped(meta, Direction.SERVER_TO_CLIENT, bytes);
    }
  }
}
