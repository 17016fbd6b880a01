package dev.zkdigest.capture;

import java.io.IOException;
import java.io.InputStream;

/**
 * A read buffer whose bytes can be used in place: {@link #ensure} makes the next bytes contiguous
 * in {@link #array()} from {@link #position()}, so packets are parsed where they were read, with no
 * second copy.
 */
final class ByteWindow {
  private final InputStream in;
  private byte[] buf;
  private int pos;
  private int limit;

  ByteWindow(InputStream in, int size) {
    this.in = in;
    this.buf = new byte[size];
  }

  byte[] array() {
    return buf;
  }

  int position() {
    return pos;
  }

  /** Makes up to {@code n} bytes available from the position; fewer only at the end. */
  int ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return n;
    }
    if (buf.length < n) {
      byte[] bigger = new byte[Math.max(n, buf.length * 2)];
      System.arraycopy(buf, pos, bigger, 0, limit - pos);
      buf = bigger;
    } else {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
    }
    limit -= pos;
    pos = 0;
    while (limit < n) {
      int r = in.read(buf, limit, buf.length - limit);
      if (r < 0) {
        break;
      }
      limit += r;
    }
    return Math.min(n, limit - pos);
  }

  void advance(int n) {
    pos += n;
  }

  /** Copies up to {@code n} bytes out; returns how many there were. */
  int read(byte[] dst, int off, int n) throws IOException {
    int have = ensure(n);
    System.arraycopy(buf, pos, dst, off, have);
    pos += have;
    return have;
  }

  /** Skips {@code n} bytes; false if the input ended first. */
  boolean skip(long n) throws IOException {
    while (n > 0) {
      int step = (int) Math.min(n, buf.length);
      int have = ensure(step);
      pos += have;
      n -= have;
      if (have < step) {
        return false;
      }
    }
    return true;
  }

  void close() throws IOException {
    in.close();
  }
}
