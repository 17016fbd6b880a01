package dev.zkdigest.quorum;

/**
 * Reads one direction of a quorum stream field by field, across chunks of any size: big-endian
 * fields of up to eight bytes are collected into an accumulator, longer runs are skipped or copied
 * up to a limit. The quorum protocols have no outer frame length (ZAB) or begin without one (the
 * election's initial message), so their decoders walk fields instead of frames.
 *
 * <p>Threading: not thread-safe; owned by one stream decoder.
 */
final class FieldReader {
  private byte[] buf;
  private int pos;
  private int end;

  private long acc;
  private int have;
  private long skipLeft;

  /** Points the reader at the next chunk of the stream. */
  void chunk(byte[] b, int off, int len) {
    this.buf = b;
    this.pos = off;
    this.end = off + len;
  }

  boolean hasMore() {
    return pos < end;
  }

  int remaining() {
    return end - pos;
  }

  int position() {
    return pos;
  }

  byte[] buffer() {
    return buf;
  }

  /** Moves past {@code n} bytes of the current chunk that the caller consumed itself. */
  void advance(int n) {
    pos += n;
  }

  /**
   * Collects an {@code n}-byte field ({@code n <= 8}); true once it is whole, its value in {@link
   * #value()}. False means the chunk ran out: call again with the next one.
   */
  boolean read(int n) {
    while (have < n && pos < end) {
      acc = (acc << 8) | (buf[pos++] & 0xff);
      have++;
    }
    return have == n;
  }

  /** The field just collected; the accumulator is cleared for the next. */
  long value() {
    long v = acc;
    acc = 0;
    have = 0;
    return v;
  }

  int intValue() {
    return (int) value();
  }

  /** Whether a field is half collected (bytes of it are held). */
  boolean midField() {
    return have > 0;
  }

  /** Starts skipping a run of {@code n} bytes. */
  void startSkip(long n) {
    skipLeft = n;
  }

  /** Skips what it can of the run; true when the run is over. */
  boolean skip() {
    int n = (int) Math.min(skipLeft, end - pos);
    pos += n;
    skipLeft -= n;
    return skipLeft == 0;
  }

  /** Bytes of the run still to skip, which a capture gap may cover. */
  long skipLeft() {
    return skipLeft;
  }

  /** Consumes {@code n} bytes of the run that the capture lost. */
  void skipLost(long n) {
    skipLeft -= n;
  }

  /** Forgets a half-collected field and any run, after sync was lost. */
  void reset() {
    acc = 0;
    have = 0;
    skipLeft = 0;
  }

  static int intAt(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  static long longAt(byte[] b, int off) {
    return ((long) intAt(b, off) << 32) | (intAt(b, off + 4) & 0xffffffffL);
  }
}
