package dev.zkdigest.digest;

import java.util.Arrays;
import java.util.Base64;
import java.util.zip.Deflater;

/**
 * Writes HdrHistogram's compressed V2 encoding (base64) of recorded values, exactly as a fresh
 * auto-resizing {@code Histogram} of the same precision, filled smallest value first, encodes
 * itself: the text JSON reports carry. The library's way costs a new histogram (and its resizes)
 * and a new {@link Deflater} (zlib's state, a few hundred KB, set up and torn down) per histogram,
 * which was most of writing a report of 100,000 classes; this one reuses one buffer and one
 * deflater per thread. A test holds its output to the library's byte for byte.
 *
 * <p>Threading: one per thread ({@link #get}).
 */
final class HistogramEncoder {
  // The library's V2 format (AbstractHistogram 2.2): cookies whose 0x10 marks the ZigZag LEB128
  // counts with zero runs, then a 40-byte header.
  private static final int ENCODING_COOKIE = 0x1c849303 | 0x10;
  private static final int COMPRESSED_ENCODING_COOKIE = 0x1c849304 | 0x10;
  private static final int HEADER_BYTES = 40;
  private static final int COMPRESSED_HEADER_BYTES = 8;

  /** What a new {@code Histogram(digits)} tracks up to before its first resize. */
  private static final long INITIAL_HIGHEST_TRACKABLE = 2;

  /** The longest ZigZag LEB128 word. */
  private static final int MAX_WORD_BYTES = 9;

  private static final ThreadLocal<HistogramEncoder> PER_THREAD =
      ThreadLocal.withInitial(HistogramEncoder::new);

  private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
  private byte[] raw = new byte[1024];
  private byte[] compressed = new byte[1024];
  private int pos;

  private HistogramEncoder() {}

  static HistogramEncoder get() {
    return PER_THREAD.get();
  }

  /**
   * The encoding of {@code size} recorded entries: counts-array indexes ascending and their
   * (positive) counts, in {@code layout}.
   */
  String encode(HistogramLayout layout, int[] indexes, long[] counts, int size) {
    int lastIndex = size == 0 ? 0 : indexes[size - 1];
    ensureRaw(HEADER_BYTES + (size * 2 + 1) * MAX_WORD_BYTES);
    pos = 0;
    putInt(ENCODING_COOKIE);
    putInt(0); // the payload's length, below
    putInt(0); // normalizing index offset
    putInt(layout.digits);
    putLong(1); // lowest discernible value
    putLong(highestTrackable(layout, lastIndex));
    putLong(Double.doubleToRawLongBits(1.0)); // integer to double conversion ratio
    int payloadStart = pos;
    if (size == 0) {
      putZigZag(0); // the count at index 0, the only one an empty histogram writes
    }
    int next = 0;
    for (int i = 0; i < size; i++) {
      long zeros = indexes[i] - next;
      if (zeros == 1) {
        putZigZag(0);
      } else if (zeros > 1) {
        putZigZag(-zeros);
      }
      putZigZag(counts[i]);
      next = indexes[i] + 1;
    }
    int rawLength = pos;
    pos = 4;
    putInt(rawLength - payloadStart);
    return base64(deflate(rawLength));
  }

  /**
   * The highest trackable value a {@code Histogram(digits)} ends with once it holds a value at
   * {@code lastIndex}: its initial one, or the top of its counts array after its last resize.
   */
  private static long highestTrackable(HistogramLayout layout, int lastIndex) {
    int initialLength = layout.length(layout.bucketsToCover(INITIAL_HIGHEST_TRACKABLE));
    if (lastIndex < initialLength) {
      return INITIAL_HIGHEST_TRACKABLE;
    }
    int length = layout.length(layout.bucketsToCover(layout.highestAt(lastIndex)));
    return layout.highestAt(length - 1);
  }

  /** Compresses {@code raw[0, length)} after the compressed header; returns the total length. */
  private int deflate(int length) {
    int need = COMPRESSED_HEADER_BYTES + length + length / 8 + 64;
    if (compressed.length < need) {
      compressed = new byte[need];
    }
    deflater.reset();
    deflater.setInput(raw, 0, length);
    deflater.finish();
    int n = COMPRESSED_HEADER_BYTES;
    while (!deflater.finished()) {
      if (n == compressed.length) {
        compressed = Arrays.copyOf(compressed, compressed.length * 2);
      }
      n += deflater.deflate(compressed, n, compressed.length - n);
    }
    putInt(compressed, 0, COMPRESSED_ENCODING_COOKIE);
    putInt(compressed, 4, n - COMPRESSED_HEADER_BYTES);
    return n;
  }

  private String base64(int length) {
    return Base64.getEncoder().encodeToString(Arrays.copyOf(compressed, length));
  }

  private void ensureRaw(int n) {
    if (raw.length < n) {
      raw = new byte[Math.max(n, raw.length * 2)];
    }
  }

  private void putInt(int v) {
    putInt(raw, pos, v);
    pos += 4;
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private void putLong(long v) {
    putInt((int) (v >>> 32));
    putInt((int) v);
  }

  /** The library's ZigZag LEB128-64b9B: 7 bits a byte, the ninth byte whole. */
  private void putZigZag(long value) {
    long v = (value << 1) ^ (value >> 63);
    for (int i = 0; i < MAX_WORD_BYTES - 1; i++) {
      if (v >>> 7 == 0) {
        raw[pos++] = (byte) v;
        return;
      }
      raw[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    raw[pos++] = (byte) v;
  }
}
