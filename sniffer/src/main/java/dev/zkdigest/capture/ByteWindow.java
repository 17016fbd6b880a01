package dev.zkdigest.capture;

import java.io.IOException;

/**
 * A read window over a {@link ChunkSource} whose bytes are used in place: {@link #ensure} makes the
 * next bytes contiguous in {@link #array()} from {@link #position()}. Inside a chunk that is the
 * chunk itself; only a record that straddles two chunks is copied, into a spill buffer, and reading
 * goes back to the chunk once the spill is used up.
 */
final class ByteWindow {
  private final ChunkSource source;
  private byte[] spill = new byte[0];

  /** The bytes in view: a chunk's array, or the spill. */
  private byte[] arr = new byte[0];

  private int pos;
  private int limit;
  private boolean inSpill;

  /**
   * The chunk in view, or (in the spill) the chunk the spill continues into, at {@code nextOff}.
   */
  private ChunkSource.Chunk chunk;

  private int nextOff;
  private boolean ended;

  ByteWindow(ChunkSource source) {
    this.source = source;
  }

  byte[] array() {
    return arr;
  }

  int position() {
    return pos;
  }

  /** Makes up to {@code n} bytes available from the position; fewer only at the end. */
  int ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return n;
    }
    if (limit == pos) {
      // Nothing left in view: move on without copying.
      if (inSpill) {
        inSpill = false;
        view(chunk, nextOff);
      } else {
        if (chunk != null) {
          source.release(chunk);
        }
        chunk = nextChunk();
        view(chunk, 0);
      }
      if (limit - pos >= n || chunk == null) {
        return Math.min(n, limit - pos);
      }
    }
    return gather(n);
  }

  private void view(ChunkSource.Chunk c, int from) {
    if (c == null) {
      arr = spill;
      pos = 0;
      limit = 0;
    } else {
      arr = c.data;
      pos = from;
      limit = c.length;
    }
  }

  /**
   * Copies what is left in view and what follows into the spill, until it holds {@code n} bytes.
   */
  private int gather(int n) throws IOException {
    int have = limit - pos;
    byte[] target = spill.length >= n ? spill : new byte[Math.max(n, 2 * spill.length)];
    System.arraycopy(arr, pos, target, 0, have);
    spill = target;
    ChunkSource.Chunk src;
    int srcOff;
    if (inSpill) {
      src = chunk;
      srcOff = nextOff;
    } else {
      if (chunk != null) {
        source.release(chunk);
      }
      src = nextChunk();
      srcOff = 0;
    }
    while (have < n && src != null) {
      int take = Math.min(n - have, src.length - srcOff);
      System.arraycopy(src.data, srcOff, spill, have, take);
      have += take;
      srcOff += take;
      if (srcOff == src.length) {
        source.release(src);
        src = nextChunk();
        srcOff = 0;
      }
    }
    arr = spill;
    pos = 0;
    limit = have;
    inSpill = true;
    chunk = src;
    nextOff = srcOff;
    return Math.min(n, have);
  }

  private ChunkSource.Chunk nextChunk() throws IOException {
    if (ended) {
      return null;
    }
    ChunkSource.Chunk c = source.next();
    if (c == null) {
      ended = true;
    }
    return c;
  }

  void advance(int n) {
    pos += n;
  }

  /** Copies up to {@code n} bytes out; returns how many there were. */
  int read(byte[] dst, int off, int n) throws IOException {
    int have = ensure(n);
    System.arraycopy(arr, pos, dst, off, have);
    pos += have;
    return have;
  }

  /** Skips {@code n} bytes; false if the input ended first. */
  boolean skip(long n) throws IOException {
    while (n > 0) {
      int step = (int) Math.min(n, 1 << 16);
      int have = ensure(step);
      pos += have;
      n -= have;
      if (have < step) {
        return false;
      }
    }
    return true;
  }

  /** Releases the chunk still in view (or the one the spill continues into), then the source. */
  void close() throws IOException {
    if (chunk != null) {
      source.release(chunk);
      chunk = null;
    }
    source.close();
  }
}
