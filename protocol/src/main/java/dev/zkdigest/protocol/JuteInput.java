package dev.zkdigest.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Reads jute primitives (big-endian ints and longs, length-prefixed buffers and strings) from a
 * byte range without copying. Reading past the end throws the shared {@link JuteUnderflow}, so
 * callers can tell a record cut short by the capture from one that is malformed.
 */
final class JuteInput {
  /**
   * Paths remembered per connection, direct-mapped by hash: clients ask for the same znodes again
   * and again, and a hit returns the String made before instead of a new one per request.
   */
  private static final int RECENT_PATHS = 32;

  private byte[] buf;
  private int pos;
  private int limit;

  /** Lazily made: many connections never send a path (pings, quorum peers probing). */
  private String[] recentPaths;

  JuteInput(byte[] buf, int offset, int limit) {
    reset(buf, offset, limit);
  }

  /** Points this input at another record: one instance serves every frame of a connection. */
  JuteInput reset(byte[] buf, int offset, int limit) {
    this.buf = buf;
    this.pos = offset;
    this.limit = limit;
    return this;
  }

  int remaining() {
    return limit - pos;
  }

  int readInt() {
    need(4);
    int p = pos;
    pos += 4;
    return intAt(buf, p);
  }

  /** The big-endian int at {@code off}, for peeking at frames before they are records. */
  static int intAt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  long readLong() {
    long hi = readInt() & 0xffffffffL;
    long lo = readInt() & 0xffffffffL;
    return (hi << 32) | lo;
  }

  boolean readBool() {
    need(1);
    return buf[pos++] != 0;
  }

  /** A jute {@code ustring}: length then UTF-8; length -1 means null. */
  String readString() {
    int len = stringLength();
    if (len < 0) {
      return null;
    }
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }

  /** A {@code ustring}'s length, checked against the bytes retained; -1 for a null string. */
  private int stringLength() {
    int len = readInt();
    if (len < -1) {
      throw JuteMalformed.INSTANCE;
    }
    if (len > limit - pos) {
      // A length beyond the retained bytes: cut short by the capture or malformed; the caller
      // knows which from the frame's declared length.
      pos = limit;
      throw JuteUnderflow.INSTANCE;
    }
    return len;
  }

  /**
   * A jute {@code ustring} that names a znode: as {@link #readString}, but an ASCII path this
   * connection sent lately is returned as the same String, so the hot path makes none.
   */
  String readPath() {
    int len = stringLength();
    if (len < 0) {
      return null;
    }
    int start = pos;
    int end = start + len;
    // String.hashCode's own function: for ASCII it is the String's hash, so one pass both picks
    // the slot and tells whether the path is ASCII (the only kind compared byte for char).
    int h = 0;
    int high = 0;
    for (int i = start; i < end; i++) {
      int b = buf[i];
      high |= b;
      h = 31 * h + (b & 0xff);
    }
    pos = end;
    if (high < 0) {
      return new String(buf, start, len, StandardCharsets.UTF_8);
    }
    String[] recent = recentPaths;
    if (recent == null) {
      recent = new String[RECENT_PATHS];
      recentPaths = recent;
    }
    int slot = (h ^ (h >>> 16)) & (RECENT_PATHS - 1);
    String s = recent[slot];
    if (s != null && sameAscii(s, buf, start, len)) {
      return s;
    }
    s = new String(buf, start, len, StandardCharsets.ISO_8859_1);
    recent[slot] = s;
    return s;
  }

  private static boolean sameAscii(String s, byte[] b, int off, int len) {
    if (s.length() != len) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (s.charAt(i) != b[off + i]) {
        return false;
      }
    }
    return true;
  }

  /** Skips a jute {@code buffer} and returns its length (-1 for null). Never copies secrets. */
  int skipBuffer() {
    int len = readInt();
    if (len < -1) {
      throw JuteMalformed.INSTANCE;
    }
    if (len > 0) {
      if (len > limit - pos) {
        pos = limit;
        throw JuteUnderflow.INSTANCE;
      }
      pos += len;
    }
    return len;
  }

  /**
   * What {@code scan} finds in the jute {@code buffer} at the current position, without moving: a
   * credential's non-secret part (a user name), so the rest is never made a string. Null when the
   * buffer is null, empty or cut short.
   */
  String peekBuffer(Credentials.Scan scan) {
    if (limit - pos < 4) {
      return null;
    }
    int len = intAt(buf, pos);
    if (len <= 0 || len > limit - pos - 4) {
      return null;
    }
    return scan.find(buf, pos + 4, len);
  }

  /** Reads a vector length; -1 is an empty (null) vector. */
  int readVectorLength() {
    int len = readInt();
    if (len < -1) {
      throw JuteMalformed.INSTANCE;
    }
    return len;
  }

  void skip(int n) {
    need(n);
    pos += n;
  }

  private void need(int n) {
    if (limit - pos < n) {
      pos = limit;
      throw JuteUnderflow.INSTANCE;
    }
  }

  /** The record ran past the bytes we have. */
  static final class JuteUnderflow extends RuntimeException {
    static final JuteUnderflow INSTANCE = new JuteUnderflow();

    private JuteUnderflow() {
      super("record runs past the end of its frame", null, false, false);
    }
  }

  /** The bytes cannot be the record they claim to be. */
  static final class JuteMalformed extends RuntimeException {
    static final JuteMalformed INSTANCE = new JuteMalformed();

    private JuteMalformed() {
      super("malformed record", null, false, false);
    }
  }
}
