package dev.zkdigest.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * A byte stream delivered in chunks that the reader parses in place: one copy from the kernel, none
 * after. A chunk stays valid until it is released.
 */
interface ChunkSource extends Closeable {

  /** A buffer of bytes: {@code data[0..length)}. */
  final class Chunk {
    final byte[] data;
    int length;

    Chunk(int size) {
      this.data = new byte[size];
    }
  }

  /** The next chunk, or null at the end of the stream. */
  Chunk next() throws IOException;

  /** The reader is done with a chunk it got from {@link #next}. */
  void release(Chunk chunk);

  /** The reader stops: chunks it did not release are released. */
  @Override
  void close() throws IOException;

  /** Reads {@code in} on the caller's thread, into one reused chunk. */
  static ChunkSource of(java.io.InputStream in, int chunkSize) {
    return new ChunkSource() {
      private final Chunk chunk = new Chunk(chunkSize);
      private boolean ended;

      @Override
      public Chunk next() throws IOException {
        if (ended) {
          return null;
        }
        int n = in.readNBytes(chunk.data, 0, chunk.data.length);
        if (n == 0) {
          ended = true;
          return null;
        }
        chunk.length = n;
        return chunk;
      }

      @Override
      public void release(Chunk c) {}

      @Override
      public void close() throws IOException {
        in.close();
      }
    };
  }
}
