package dev.zkdigest.quorum;

/**
 * Splits one direction of a leader-learner connection into {@code QuorumPacket}s. They have no
 * length prefix (jute writes {@code int type, long zxid, buffer data, vector<Id> authinfo} one
 * after the other), so the stream is read field by field. After a SNAP packet the leader streams
 * its snapshot, which is not a packet: {@link SnapshotSkipper} walks it, counting its bytes, to
 * where the next packet starts. Quorum SASL packets before the first packet are skipped whole,
 * their tokens never copied; a TLS connection is only counted.
 *
 * <p>Threading: not thread-safe; owned by one {@link ZabConnection}.
 */
final class ZabStream {

  /** What the stream reports to its connection. */
  interface Sink {
    /**
     * A packet went by; {@code data} holds its first {@code retained} data bytes, valid during the
     * call.
     */
    void packet(
        int type,
        long zxid,
        int dataLength,
        byte[] data,
        int retained,
        long bytes,
        boolean complete,
        long nanos);

    /** The snapshot after SNAP ended ({@code complete}: its signature was read in sequence). */
    void snapshot(long bytes, boolean complete, long startNanos, long endNanos);

    void authPacket(long nanos);

    void tls(long nanos);

    void invalid(String reason, long nanos);

    void skipped(long bytes);
  }

  private enum State {
    /** The first byte tells TLS from ZooKeeper's own framing. */
    START,
    TYPE,
    ZXID,
    DATA_LENGTH,
    DATA,
    AUTH_COUNT,
    ID_SCHEME_LENGTH,
    ID_SCHEME,
    ID_LENGTH,
    ID,
    SASL_MAGIC_LOW,
    SASL_STATUS,
    SASL_TOKEN_LENGTH,
    SASL_TOKEN,
    /** The snapshot after SNAP, walked by {@link SnapshotSkipper}. */
    SNAPSHOT,
    /** Bytes of the snapshot were lost: searching for its signature. */
    SNAPSHOT_LOST,
    /** Looking for a plausible packet after lost or garbled bytes. */
    UNSYNCED,
    /** TLS: bytes counted, nothing decoded. */
    RAW
  }

  /** Data longer than this is garbage, not a big transaction: resynchronise. */
  static final int MAX_DATA = 64 << 20;

  /** Auth identities on one packet beyond this are garbage (a session has a handful). */
  static final int MAX_IDS = 64;

  /** An identity's scheme or id longer than this is garbage. */
  static final int MAX_ID = 64 * 1024;

  /**
   * Data bytes kept for decoding: transaction and request headers need 40, a NEWLEADER's
   * configuration a few hundred.
   */
  static final int RETAIN = 4096;

  /** The bytes of a packet besides its data and identities: type, zxid, data length, id count. */
  static final int HEADER = 20;

  private static final int TLS_HANDSHAKE = 0x16;

  private final Sink sink;
  private final boolean fromLeader;
  private final FieldReader in = new FieldReader();
  private final SnapshotSkipper snapshot = new SnapshotSkipper();
  private final int[] signatureFailure = kmpFailure(SnapshotSkipper.SIGNATURE);
  private State state;
  private boolean sawPacket;

  private int type;
  private long zxid;
  private int dataLength;
  private int dataLeft;
  private int kept;
  private int ids;
  private long bytes;
  private boolean complete;
  private long startNanos;
  private long snapshotBytes;
  private long snapshotStart;
  private int signatureMatched;
  private byte[] data = new byte[0];

  /**
   * @param fromLeader whether this is the leader's direction: each side sends its own packet types
   */
  ZabStream(Sink sink, boolean fromLeader, boolean fromStart) {
    this.sink = sink;
    this.fromLeader = fromLeader;
    this.state = fromStart ? State.START : State.UNSYNCED;
  }

  void feed(byte[] buf, int off, int len, long nanos) {
    in.chunk(buf, off, len);
    while (in.hasMore()) {
      switch (state) {
        case START -> {
          if ((buf[in.position()] & 0xff) == TLS_HANDSHAKE) {
            state = State.RAW;
            sink.tls(nanos);
          } else {
            state = State.TYPE;
          }
        }
        case TYPE -> {
          if (!in.midField()) {
            startNanos = nanos;
          }
          if (in.read(4)) {
            type = in.intValue();
            bytes = 4;
            complete = true;
            if (!sawPacket && type == (int) (ElectionStream.AUTH_MAGIC >>> 32)) {
              state = State.SASL_MAGIC_LOW;
            } else if (ZabType.of(type) == null) {
              lose("unknown quorum packet type " + type, nanos);
            } else if (!ZabType.of(type).sentBy(fromLeader)) {
              lose(ZabType.of(type) + " from the " + (fromLeader ? "leader" : "learner"), nanos);
            } else {
              state = State.ZXID;
            }
          }
        }
        case ZXID -> {
          if (in.read(8)) {
            zxid = in.value();
            state = State.DATA_LENGTH;
          }
        }
        case DATA_LENGTH -> {
          if (in.read(4)) {
            dataLength = in.intValue();
            if (dataLength < -1 || dataLength > MAX_DATA) {
              lose("implausible quorum packet data length " + dataLength, nanos);
            } else {
              startData();
              state = dataLength > 0 ? State.DATA : State.AUTH_COUNT;
            }
          }
        }
        case DATA -> {
          if (takeData()) {
            state = State.AUTH_COUNT;
          }
        }
        case AUTH_COUNT -> {
          if (in.read(4)) {
            ids = in.intValue();
            if (ids < -1 || ids > MAX_IDS) {
              lose("implausible quorum packet identity count " + ids, nanos);
            } else if (ids > 0) {
              state = State.ID_SCHEME_LENGTH;
            } else {
              finishPacket(nanos);
            }
          }
        }
        case ID_SCHEME_LENGTH, ID_LENGTH -> {
          if (in.read(4)) {
            int n = in.intValue();
            if (n < -1 || n > MAX_ID) {
              lose("implausible quorum packet identity of " + n + " bytes", nanos);
            } else {
              in.startSkip(Math.max(0, n));
              bytes += 4 + Math.max(0, n);
              state = state == State.ID_SCHEME_LENGTH ? State.ID_SCHEME : State.ID;
            }
          }
        }
        case ID_SCHEME -> {
          if (in.skip()) {
            state = State.ID_LENGTH;
          }
        }
        case ID -> {
          if (in.skip()) {
            if (--ids > 0) {
              state = State.ID_SCHEME_LENGTH;
            } else {
              finishPacket(nanos);
            }
          }
        }
        case SASL_MAGIC_LOW -> {
          if (in.read(4)) {
            if (in.intValue() != (int) ElectionStream.AUTH_MAGIC) {
              lose("unknown quorum packet type " + type, nanos);
            } else {
              state = State.SASL_STATUS;
            }
          }
        }
        case SASL_STATUS -> {
          if (in.read(4)) {
            in.value();
            state = State.SASL_TOKEN_LENGTH;
          }
        }
        case SASL_TOKEN_LENGTH -> {
          if (in.read(4)) {
            int n = in.intValue();
            if (n < -1 || n > MAX_ID) {
              lose("quorum auth token of " + n + " bytes", nanos);
            } else {
              in.startSkip(Math.max(0, n));
              state = State.SASL_TOKEN;
            }
          }
        }
        case SASL_TOKEN -> {
          if (in.skip()) {
            sink.authPacket(nanos);
            state = State.TYPE;
          }
        }
        case SNAPSHOT -> {
          int before = in.position();
          SnapshotSkipper.Step step = snapshot.step(in);
          snapshotBytes += in.position() - before;
          if (step == SnapshotSkipper.Step.DONE) {
            state = State.TYPE;
            sink.snapshot(snapshotBytes, true, snapshotStart, nanos);
          } else if (step == SnapshotSkipper.Step.MALFORMED) {
            sink.invalid("snapshot stream not in ZooKeeper's layout", nanos);
            in.reset();
            signatureMatched = 0;
            state = State.SNAPSHOT_LOST;
          }
        }
        case SNAPSHOT_LOST -> findSignature(nanos);
        case UNSYNCED -> resync();
        case RAW -> in.advance(in.remaining());
      }
    }
  }

  /** {@code lost} bytes of this direction were not captured. */
  void gap(long lost, long nanos) {
    switch (state) {
      case DATA -> {
        complete = false;
        bytes += Math.min(lost, dataLeft);
        if (lost <= dataLeft) {
          dataLeft -= (int) lost;
          if (dataLeft == 0) {
            state = State.AUTH_COUNT;
          }
          return;
        }
      }
      case SNAPSHOT -> {
        snapshotBytes += lost;
        if (lost <= snapshot.runLeft(in)) {
          in.skipLost(lost);
          return;
        }
        in.reset();
        signatureMatched = 0;
        state = State.SNAPSHOT_LOST;
        return;
      }
      case SNAPSHOT_LOST -> {
        snapshotBytes += lost;
        signatureMatched = 0;
        return;
      }
      case ID_SCHEME, ID, SASL_TOKEN -> {
        if (lost <= in.skipLeft()) {
          in.skipLost(lost);
          complete = false;
          return;
        }
      }
      case RAW, UNSYNCED -> {
        return;
      }
      default -> {}
    }
    in.reset();
    state = State.UNSYNCED;
  }

  /** Bytes held for the packet in progress, for memory accounting. */
  int bufferedBytes() {
    return data.length;
  }

  private void startData() {
    int want = Math.min(Math.max(dataLength, 0), RETAIN);
    if (data.length < want) {
      data = new byte[want];
    }
    kept = 0;
    dataLeft = Math.max(dataLength, 0);
    bytes = 16L + dataLeft;
  }

  /** Takes what the chunk holds of the data; true once all of it went by. */
  private boolean takeData() {
    int n = Math.min(in.remaining(), dataLeft);
    int keep = complete ? Math.min(n, Math.min(dataLength, RETAIN) - kept) : 0;
    if (keep > 0) {
      System.arraycopy(in.buffer(), in.position(), data, kept, keep);
      kept += keep;
    }
    in.advance(n);
    dataLeft -= n;
    return dataLeft == 0;
  }

  private void finishPacket(long nanos) {
    sawPacket = true;
    bytes += 4;
    state = State.TYPE;
    sink.packet(type, zxid, dataLength, data, kept, bytes, complete, startNanos);
    if (type == ZabType.SNAP.code()) {
      snapshot.reset();
      snapshotBytes = 0;
      snapshotStart = nanos;
      state = State.SNAPSHOT;
    }
  }

  private void lose(String reason, long nanos) {
    sink.invalid(reason, nanos);
    in.reset();
    state = State.UNSYNCED;
  }

  /** Searches the snapshot's remains for its signature (Knuth-Morris-Pratt), keeping nothing. */
  private void findSignature(long nanos) {
    byte[] b = in.buffer();
    byte[] sig = SnapshotSkipper.SIGNATURE;
    int from = in.position();
    int end = from + in.remaining();
    for (int i = from; i < end; i++) {
      while (signatureMatched > 0 && b[i] != sig[signatureMatched]) {
        signatureMatched = signatureFailure[signatureMatched - 1];
      }
      if (b[i] == sig[signatureMatched]) {
        signatureMatched++;
      }
      if (signatureMatched == sig.length) {
        in.advance(i + 1 - from);
        snapshotBytes += i + 1 - from;
        signatureMatched = 0;
        state = State.TYPE;
        sink.snapshot(snapshotBytes, false, snapshotStart, nanos);
        return;
      }
    }
    snapshotBytes += end - from;
    in.advance(end - from);
  }

  private static int[] kmpFailure(byte[] p) {
    int[] f = new int[p.length];
    int k = 0;
    for (int i = 1; i < p.length; i++) {
      while (k > 0 && p[i] != p[k]) {
        k = f[k - 1];
      }
      if (p[i] == p[k]) {
        k++;
      }
      f[i] = k;
    }
    return f;
  }

  /**
   * Skips to the first offset of the chunk where a packet plausibly starts: one that lies whole in
   * the chunk, with a known type after it, if there is one; else one that runs past the chunk.
   */
  private void resync() {
    byte[] b = in.buffer();
    int from = in.position();
    int end = from + in.remaining();
    int weak = -1;
    for (int o = from; o < end; o++) {
      int p = plausiblePacketAt(b, o, end, fromLeader);
      if (p == WHOLE) {
        resumeAt(o, from);
        return;
      }
      if (p == RUNS_ON && weak < 0) {
        weak = o;
      }
    }
    if (weak >= 0) {
      resumeAt(weak, from);
      return;
    }
    sink.skipped(end - from);
    in.advance(end - from);
  }

  private void resumeAt(int o, int from) {
    if (o > from) {
      sink.skipped(o - from);
    }
    in.advance(o - from);
    state = State.TYPE;
  }

  static final int NO = 0;
  static final int RUNS_ON = 1;
  static final int WHOLE = 2;

  /**
   * Whether a packet plausibly starts at {@code o}: a type this side sends, with the zxid and data
   * length that type carries, no identities (or a few, on a forwarded request), and a known type
   * after it. {@link #WHOLE} when all of that was checked inside the chunk, {@link #RUNS_ON} when
   * the packet goes on past it, {@link #NO} otherwise.
   */
  static int plausiblePacketAt(byte[] b, int o, int end, boolean fromLeader) {
    if (end - o < 16) {
      return NO;
    }
    ZabType t = ZabType.of(FieldReader.intAt(b, o));
    if (t == null || !t.sentBy(fromLeader) || !t.plausibleZxid(FieldReader.longAt(b, o + 4))) {
      return NO;
    }
    int dataLength = FieldReader.intAt(b, o + 12);
    if (dataLength > MAX_DATA || !t.plausibleData(dataLength)) {
      return NO;
    }
    long idsAt = (long) o + 16 + Math.max(0, dataLength);
    if (idsAt + 4 > end) {
      return RUNS_ON;
    }
    int ids = FieldReader.intAt(b, (int) idsAt);
    if (t == ZabType.REQUEST ? ids < -1 || ids > MAX_IDS : ids != 0 && ids != -1) {
      return NO;
    }
    long next = idsAt + 4;
    if (ids > 0 || next + 4 > end) {
      return RUNS_ON;
    }
    ZabType after = ZabType.of(FieldReader.intAt(b, (int) next));
    return after != null && after.sentBy(fromLeader) ? WHOLE : NO;
  }
}
