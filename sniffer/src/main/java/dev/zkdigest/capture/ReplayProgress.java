package dev.zkdigest.capture;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a replay has got, for a progress line: the capture bytes read (counted per chunk read,
 * not per packet) and the packets the first shard has gone through (published every {@link
 * #PUBLISH_EVERY} packets, so the hot loop pays one test per packet).
 */
public final class ReplayProgress {
  /** Packets between two updates of {@link #packets()}: a power of two, tested by mask. */
  static final int PUBLISH_EVERY = 4096;

  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong packets = new AtomicLong();

  public long bytes() {
    return bytes.get();
  }

  public long packets() {
    return packets.get();
  }

  void packets(long n) {
    packets.lazySet(n);
  }

  /** {@code in}, counting what is read from it. */
  InputStream counting(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
          bytes.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        long s = super.skip(n);
        bytes.addAndGet(Math.max(0, s));
        return s;
      }
    };
  }
}
