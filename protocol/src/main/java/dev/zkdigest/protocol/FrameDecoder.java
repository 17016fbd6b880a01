package dev.zkdigest.protocol;

/**
 * Splits one direction of a ZooKeeper connection into length-prefixed frames. Bytes arrive in
 * chunks of any size; a frame may span many chunks and a chunk may hold many frames. Gaps (bytes
 * the capture lost) are skipped using the frame length already read, so counting goes on when
 * payloads are cut. At most {@code retainLimit} bytes of a frame body are kept; the claimed length
 * is never allocated.
 *
 * <p>Threading: not thread-safe; owned by one {@link ZkConnection}.
 */
final class FrameDecoder {

  /** What the decoder reports to its connection. */
  interface Sink {
    /**
     * A whole frame went by.
     *
     * @param body the retained bytes of the body, from {@code offset}; valid during the call only
     * @param retained how many body bytes are in {@code body}
     * @param length the body length the frame declared
     * @param complete false if a gap cut some of the body
     */
    void frame(
        byte[] body,
        int offset,
        int retained,
        int length,
        boolean complete,
        long startNanos,
        long end);

    /** The first four bytes of the stream, to spot a four-letter word; true switches to raw. */
    boolean firstWord(int word, long nanos);

    /** Whether a frame plausibly starts at {@code off}, to regain sync mid-stream. */
    boolean plausibleFrameAt(byte[] buf, int off, int len);

    void raw(int bytes, long nanos);

    void invalid(String reason, long nanos);

    void skipped(long bytes);
  }

  private enum State {
    /** Looking for a plausible frame boundary at the start of a chunk. */
    UNSYNCED,
    LENGTH,
    BODY,
    /** A four-letter word exchange: no framing, bytes only counted. */
    RAW
  }

  /** A length beyond this is garbage, not a big frame: resynchronise instead of skipping it. */
  static final int ABSURD_LENGTH = 64 << 20;

  /**
   * Bytes kept of a frame that spans chunks without borrowing: larger frames borrow from the {@link
   * RetainBudget} while they are in progress, or keep only this much.
   */
  static final int SMALL = 512;

  private final Sink sink;
  private final int minLength;
  private final int maxLength;
  private final int retainLimit;
  private final RetainBudget budget;

  private State state;
  private boolean checkFirstWord;
  private int lengthBytes;
  private int length;
  private int bodyRead;
  private int kept;
  private boolean complete;
  private boolean deliver;
  private long startNanos;

  private static final byte[] NOTHING = new byte[0];

  /**
   * Where the frame in progress is kept, made for it and as long as what is kept of it; empty
   * between frames.
   */
  private byte[] body = NOTHING;

  /** Bytes of {@link #body} borrowed from the budget (0 for a small frame). */
  private int borrowed;

  FrameDecoder(
      Sink sink,
      int minLength,
      int maxLength,
      int retainLimit,
      RetainBudget budget,
      boolean synced) {
    this.sink = sink;
    this.minLength = minLength;
    this.maxLength = maxLength;
    this.retainLimit = retainLimit;
    this.budget = budget;
    this.state = synced ? State.LENGTH : State.UNSYNCED;
    this.checkFirstWord = synced;
  }

  void feed(byte[] buf, int off, int len, long nanos) {
    int end = off + len;
    if (state == State.UNSYNCED) {
      if (!sink.plausibleFrameAt(buf, off, len)) {
        sink.skipped(len);
        return;
      }
      state = State.LENGTH;
    }
    while (off < end) {
      if (state == State.LENGTH && lengthBytes == 0 && !checkFirstWord) {
        // Fast path: frames that lie whole in this chunk go to the sink from where they are,
        // without a copy. Anything unusual (a bad length, a frame that goes on) takes the state
        // machine below.
        off = wholeFrames(buf, off, end, nanos);
        if (off == end) {
          return;
        }
      }
      switch (state) {
        case LENGTH -> {
          if (lengthBytes == 0) {
            startNanos = nanos;
          }
          while (lengthBytes < 4 && off < end) {
            length = (length << 8) | (buf[off++] & 0xff);
            lengthBytes++;
          }
          if (lengthBytes == 4) {
            startBody(nanos);
          }
        }
        case BODY -> {
          int n = Math.min(end - off, length - bodyRead);
          if (deliver && complete && kept < body.length) {
            // After a gap the bytes no longer follow on from what we kept: keep no more.
            int keep = Math.min(n, body.length - kept);
            System.arraycopy(buf, off, body, kept, keep);
            kept += keep;
          }
          bodyRead += n;
          off += n;
          if (bodyRead == length) {
            finishFrame(nanos);
          }
        }
        case RAW -> {
          sink.raw(end - off, nanos);
          off = end;
        }
        case UNSYNCED -> {
          // Lost sync inside this chunk: the rest of it cannot be trusted.
          sink.skipped(end - off);
          off = end;
        }
      }
    }
  }

  /** Delivers the frames that lie whole in {@code buf[off..end)}; returns where the rest starts. */
  private int wholeFrames(byte[] buf, int off, int end, long nanos) {
    while (end - off >= 4) {
      int length = JuteInput.intAt(buf, off);
      if (length < minLength || length > maxLength || end - off - 4 < length) {
        break;
      }
      sink.frame(buf, off + 4, Math.min(length, retainLimit), length, true, nanos, nanos);
      off += 4 + length;
    }
    return off;
  }

  /** {@code bytes} of this direction were lost (not captured). */
  void gap(long bytes, long nanos) {
    switch (state) {
      case BODY -> {
        long left = length - bodyRead;
        complete = false;
        if (bytes <= left) {
          bodyRead += (int) bytes;
          if (bodyRead == length) {
            finishFrame(nanos);
          }
        } else {
          bodyRead = length;
          finishFrame(nanos);
          loseSync();
        }
      }
      case LENGTH -> loseSync();
      case RAW -> sink.raw((int) Math.min(bytes, Integer.MAX_VALUE), nanos);
      case UNSYNCED -> {}
    }
  }

  /** Switch to counting bytes only, for the answer to a four-letter word. */
  void switchToRaw() {
    state = State.RAW;
  }

  /** Whether frame boundaries are known (false while looking for one to regain sync). */
  boolean synced() {
    return state != State.UNSYNCED;
  }

  /** Bytes held for the frame in progress, for memory accounting. */
  int bufferedBytes() {
    return body.length;
  }

  private void startBody(long nanos) {
    if (checkFirstWord) {
      checkFirstWord = false;
      if (sink.firstWord(length, nanos)) {
        state = State.RAW;
        resetFrame();
        return;
      }
    }
    if (length < minLength || length > ABSURD_LENGTH) {
      sink.invalid("implausible frame length " + length, nanos);
      loseSync();
      return;
    }
    deliver = length <= maxLength;
    if (!deliver) {
      sink.invalid("frame of " + length + " bytes exceeds the frame cap " + maxLength, nanos);
    } else {
      keepRoomFor(length);
    }
    complete = true;
    bodyRead = 0;
    kept = 0;
    state = State.BODY;
    if (length == 0) {
      finishFrame(nanos);
    }
  }

  private void finishFrame(long nanos) {
    if (deliver) {
      sink.frame(body, 0, kept, length, complete, startNanos, nanos);
    }
    resetFrame();
    state = State.LENGTH;
  }

  /**
   * Finds room to keep up to {@code retainLimit} bytes of a frame of {@code length} that spans
   * chunks: a buffer of its own while it is in progress (most connections are between frames most
   * of the time, so none is kept between them), borrowed from the budget when large.
   */
  private void keepRoomFor(int length) {
    int want = Math.min(length, retainLimit);
    int keep = want;
    if (want > SMALL && budget.tryTake(want)) {
      borrowed = want;
    } else {
      keep = Math.min(want, SMALL);
    }
    body = keep == 0 ? NOTHING : new byte[keep];
  }

  /** The frame in progress is done, or the connection ends: a borrowed buffer goes back. */
  void release() {
    if (borrowed > 0) {
      budget.give(borrowed);
      borrowed = 0;
    }
    body = NOTHING;
  }

  private void loseSync() {
    resetFrame();
    state = State.UNSYNCED;
  }

  private void resetFrame() {
    lengthBytes = 0;
    length = 0;
    bodyRead = 0;
    kept = 0;
    complete = true;
    release();
  }
}
