package dev.zkdigest.quorum;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one direction of an election connection ({@code QuorumCnxManager}) into its messages: the
 * connecting side's initial message (protocol version, server id, election address), then frames of
 * a four-byte length and a body, each a leader-election notification. Quorum SASL packets ({@code
 * QuorumAuthPacket}, recognised by their magic number) are skipped whole, their tokens never
 * copied; a TLS connection is only counted.
 *
 * <p>Threading: not thread-safe; owned by one {@link ElectionConnection}.
 */
final class ElectionStream {

  /** What the stream reports to its connection. */
  interface Sink {
    void initial(ElectionMessage.Initial message, int bytes, long nanos);

    /**
     * A frame went by; {@code body} holds its first {@code retained} bytes, valid during the call.
     */
    void frame(byte[] body, int retained, int length, boolean complete, long nanos);

    void authPacket(int bytes, long nanos);

    void tls(long nanos);

    void invalid(String reason, long nanos);

    void skipped(long bytes);
  }

  private enum State {
    /** The first byte tells TLS from ZooKeeper's own framing. */
    START,
    INITIAL_VERSION,
    INITIAL_SID,
    INITIAL_ADDRESS_LENGTH,
    INITIAL_ADDRESS,
    LENGTH,
    BODY,
    AUTH_MAGIC_LOW,
    AUTH_STATUS,
    AUTH_TOKEN_LENGTH,
    AUTH_TOKEN,
    /** Looking for a plausible frame after lost bytes. */
    UNSYNCED,
    /** TLS: bytes counted, nothing decoded. */
    RAW
  }

  /** {@code QuorumCnxManager.PROTOCOL_VERSION_V1}: one election address. */
  static final long PROTOCOL_VERSION_V1 = -65536L;

  /** {@code PROTOCOL_VERSION_V2}: several election addresses separated by '|' (3.6+). */
  static final long PROTOCOL_VERSION_V2 = -65535L;

  /** {@code QuorumCnxManager.maxBuffer}: the longest initial-message address a server accepts. */
  static final int MAX_ADDRESS = 2048;

  /** {@code QuorumCnxManager.PACKETMAXSIZE}: the longest frame a server accepts. */
  static final int MAX_FRAME = 512 * 1024;

  /** {@code QuorumAuth.QUORUM_AUTH_MAGIC_NUMBER}, first of a quorum SASL packet. */
  static final long AUTH_MAGIC = -0xa0dbcafecafe1234L;

  /** The shortest notification ({@code FastLeaderElection}'s oldest format). */
  static final int MIN_NOTIFICATION = 28;

  /** Bytes kept of a frame: the vote (44 bytes) and a configuration of a hundred servers or so. */
  static final int RETAIN = 16 * 1024;

  /** A SASL token longer than this is garbage, not a token. */
  private static final int MAX_TOKEN = 1 << 20;

  private static final int TLS_HANDSHAKE = 0x16;

  private final Sink sink;
  private final boolean expectInitial;
  private final FieldReader in = new FieldReader();
  private State state;
  private long sid;
  private long version;
  private int length;
  private int kept;
  private int bodyLeft;
  private boolean complete;
  private boolean sawNotification;
  private long startNanos;
  private byte[] body = new byte[0];

  /**
   * @param initiator whether this is the connecting side's direction seen from its first byte,
   *     which starts with the initial message
   * @param fromStart whether the stream is seen from its first byte
   */
  ElectionStream(Sink sink, boolean initiator, boolean fromStart) {
    this.sink = sink;
    this.state = !fromStart ? State.UNSYNCED : State.START;
    this.expectInitial = initiator;
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
            state = expectInitial ? State.INITIAL_VERSION : State.LENGTH;
          }
        }
        case INITIAL_VERSION -> {
          if (in.read(8)) {
            startNanos = nanos;
            version = in.value();
            if (version == PROTOCOL_VERSION_V1 || version == PROTOCOL_VERSION_V2) {
              state = State.INITIAL_SID;
            } else if (version >= 0) {
              // Before 3.5 the id came alone, with no version and no address.
              sink.initial(new ElectionMessage.Initial(0, version, List.of()), 8, nanos);
              state = State.LENGTH;
            } else {
              lose("unknown election protocol version " + version, nanos);
            }
          }
        }
        case INITIAL_SID -> {
          if (in.read(8)) {
            sid = in.value();
            state = State.INITIAL_ADDRESS_LENGTH;
          }
        }
        case INITIAL_ADDRESS_LENGTH -> {
          if (in.read(4)) {
            length = in.intValue();
            if (length <= 0 || length > MAX_ADDRESS) {
              lose("initial message address of " + length + " bytes", nanos);
            } else {
              startBody();
              state = State.INITIAL_ADDRESS;
            }
          }
        }
        case INITIAL_ADDRESS -> {
          if (takeBody()) {
            finishInitial(nanos);
          }
        }
        case LENGTH -> {
          if (in.read(4)) {
            int v = in.intValue();
            if (v == (int) (AUTH_MAGIC >>> 32) && !sawNotification) {
              state = State.AUTH_MAGIC_LOW;
            } else if (v <= 0 || v > MAX_FRAME) {
              lose("implausible election frame length " + v, nanos);
            } else {
              length = v;
              startNanos = nanos;
              startBody();
              state = State.BODY;
            }
          }
        }
        case BODY -> {
          if (takeBody()) {
            sawNotification = true;
            state = State.LENGTH;
            sink.frame(body, kept, length, complete, nanos);
          }
        }
        case AUTH_MAGIC_LOW -> {
          if (in.read(4)) {
            if (in.intValue() != (int) AUTH_MAGIC) {
              lose("implausible election frame length", nanos);
            } else {
              state = State.AUTH_STATUS;
            }
          }
        }
        case AUTH_STATUS -> {
          if (in.read(4)) {
            in.value();
            state = State.AUTH_TOKEN_LENGTH;
          }
        }
        case AUTH_TOKEN_LENGTH -> {
          if (in.read(4)) {
            length = in.intValue();
            if (length < -1 || length > MAX_TOKEN) {
              lose("quorum auth token of " + length + " bytes", nanos);
            } else {
              in.startSkip(Math.max(0, length));
              state = State.AUTH_TOKEN;
            }
          }
        }
        case AUTH_TOKEN -> {
          if (in.skip()) {
            // Magic, status and the token's length and bytes: never copied, only counted.
            sink.authPacket(16 + Math.max(0, length), nanos);
            state = State.LENGTH;
          }
        }
        case UNSYNCED -> resync(nanos);
        case RAW -> in.advance(in.remaining());
      }
    }
  }

  /** {@code bytes} of this direction were lost (not captured). */
  void gap(long bytes, long nanos) {
    if (state == State.BODY || state == State.INITIAL_ADDRESS) {
      complete = false;
      if (bytes <= bodyLeft) {
        bodyLeft -= (int) bytes;
        if (bodyLeft == 0) {
          if (state == State.BODY) {
            state = State.LENGTH;
            sink.frame(body, kept, length, false, nanos);
          } else {
            finishInitial(nanos);
          }
        }
        return;
      }
    } else if (state == State.AUTH_TOKEN && bytes <= in.skipLeft()) {
      in.skipLost(bytes);
      if (in.skipLeft() == 0) {
        sink.authPacket(16 + Math.max(0, length), nanos);
        state = State.LENGTH;
      }
      return;
    }
    if (state != State.RAW && state != State.UNSYNCED) {
      in.reset();
      state = State.UNSYNCED;
    }
  }

  /** Bytes held for the message in progress, for memory accounting. */
  int bufferedBytes() {
    return body.length;
  }

  private void startBody() {
    int want = Math.min(length, RETAIN);
    if (body.length < want) {
      body = new byte[want];
    }
    kept = 0;
    bodyLeft = length;
    complete = true;
  }

  /** Takes what the chunk holds of the body; true once all of it went by. */
  private boolean takeBody() {
    int n = Math.min(in.remaining(), bodyLeft);
    int keep = complete ? Math.min(n, Math.min(length, RETAIN) - kept) : 0;
    if (keep > 0) {
      System.arraycopy(in.buffer(), in.position(), body, kept, keep);
      kept += keep;
    }
    in.advance(n);
    bodyLeft -= n;
    return bodyLeft == 0;
  }

  private void finishInitial(long nanos) {
    state = State.LENGTH;
    if (!complete) {
      sink.invalid("initial message cut by the capture", nanos);
      return;
    }
    String text = new String(body, 0, kept, StandardCharsets.UTF_8);
    List<String> addresses = new ArrayList<>();
    for (String a : text.split("\\|")) {
      if (!a.isEmpty()) {
        addresses.add(a);
      }
    }
    sink.initial(new ElectionMessage.Initial(version, sid, addresses), 20 + length, nanos);
  }

  private void lose(String reason, long nanos) {
    sink.invalid(reason, nanos);
    in.reset();
    state = State.UNSYNCED;
  }

  /** Skips to the first offset of the chunk where a notification frame plausibly starts. */
  private void resync(long nanos) {
    byte[] b = in.buffer();
    int from = in.position();
    int end = from + in.remaining();
    for (int o = from; o < end; o++) {
      if (plausibleFrameAt(b, o, end)) {
        if (o > from) {
          sink.skipped(o - from);
        }
        in.advance(o - from);
        state = State.LENGTH;
        return;
      }
    }
    sink.skipped(end - from);
    in.advance(end - from);
  }

  /** Whether a notification frame plausibly starts at {@code o}: length, state, format version. */
  static boolean plausibleFrameAt(byte[] b, int o, int end) {
    if (end - o < 8) {
      return false;
    }
    int len = FieldReader.intAt(b, o);
    if (len < MIN_NOTIFICATION || len > MAX_FRAME) {
      return false;
    }
    if (ServerState.of(FieldReader.intAt(b, o + 4)) == null) {
      return false;
    }
    if (len != MIN_NOTIFICATION && len < 40) {
      return false;
    }
    if (len >= 44 && end - o >= 4 + 44) {
      int version = FieldReader.intAt(b, o + 4 + 36);
      int configLength = FieldReader.intAt(b, o + 4 + 40);
      if (version != 2 || configLength != len - 44) {
        return false;
      }
    }
    long next = (long) o + 4 + len;
    if (next + 4 <= end) {
      int l = FieldReader.intAt(b, (int) next);
      return l >= MIN_NOTIFICATION && l <= MAX_FRAME;
    }
    return true;
  }
}
