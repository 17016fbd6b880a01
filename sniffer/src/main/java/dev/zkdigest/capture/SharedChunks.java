package dev.zkdigest.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a stream once, on its own thread, for several readers: chunks go into a ring that every
 * {@link #cursor} walks in order, and a chunk is reused once all cursors have released it. The
 * shards of a parallel replay parse the same bytes in place this way, with one copy from the kernel
 * between them, and reading overlaps with decoding.
 *
 * <p>Memory: {@code ring} chunks of {@code chunkSize} bytes. The slowest cursor holds the reader
 * back when the ring is full, so a fast shard never runs more than the ring ahead of a slow one.
 *
 * <p>Threading: the reader thread fills slots; each cursor is used by one consumer thread. All ring
 * state is guarded by {@link #lock}; a chunk's bytes are written before it is published under the
 * lock and read after it is taken under the lock.
 */
final class SharedChunks {
  private final InputStream in;
  private final ChunkSource.Chunk[] slots;
  private final int[] holders;
  private final long[] positions;
  private final boolean[] closed;

  /** Which slots each consumer has taken and not released yet. */
  private final boolean[][] holding;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition published = lock.newCondition();
  private final Condition freed = lock.newCondition();
  private final Thread reader;
  private final Runnable atEnd;

  /** Chunks read so far; chunk {@code k} lives in slot {@code k % ring}. */
  private long written;

  private boolean ended;
  private IOException failure;
  private boolean stopped;

  SharedChunks(InputStream in, String name, int consumers, int chunkSize, int ring) {
    this(in, name, consumers, newRing(chunkSize, ring), () -> {});
  }

  /**
   * Reads into {@code slots}, the ring of a stream read before ({@link #reusableSlots}), and runs
   * {@code atEnd} on the reader thread once the stream has been read to its end.
   */
  SharedChunks(
      InputStream in, String name, int consumers, ChunkSource.Chunk[] slots, Runnable atEnd) {
    this.in = in;
    this.atEnd = atEnd;
    this.slots = slots;
    int ring = slots.length;
    this.holders = new int[ring];
    this.positions = new long[consumers];
    this.closed = new boolean[consumers];
    this.holding = new boolean[consumers][ring];
    this.reader = new Thread(this::readAll, "zkdigest-read " + name);
    reader.setDaemon(true);
    reader.start();
  }

  static ChunkSource.Chunk[] newRing(int chunkSize, int ring) {
    ChunkSource.Chunk[] slots = new ChunkSource.Chunk[ring];
    for (int i = 0; i < ring; i++) {
      slots[i] = new ChunkSource.Chunk(chunkSize);
    }
    return slots;
  }

  /**
   * The ring, for another stream, once the reader has stopped writing into it (the stream ended or
   * failed); null while it may still be writing (every consumer left early).
   */
  ChunkSource.Chunk[] reusableSlots() {
    lock.lock();
    try {
      return ended || failure != null ? slots : null;
    } finally {
      lock.unlock();
    }
  }

  /** The chunks for consumer {@code i}, from the start of the stream. */
  ChunkSource cursor(int i) {
    return new ChunkSource() {
      @Override
      public Chunk next() throws IOException {
        return take(i);
      }

      @Override
      public void release(Chunk chunk) {
        SharedChunks.this.release(i, chunk);
      }

      @Override
      public void close() {
        leave(i);
      }
    };
  }

  private void readAll() {
    try {
      while (true) {
        ChunkSource.Chunk c;
        lock.lock();
        try {
          int slot = (int) (written % slots.length);
          while (holders[slot] > 0 && !stopped) {
            freed.await();
          }
          if (stopped) {
            return;
          }
          c = slots[slot];
        } finally {
          lock.unlock();
        }
        int n = in.readNBytes(c.data, 0, c.data.length);
        lock.lock();
        try {
          if (n == 0) {
            ended = true;
          } else {
            c.length = n;
            holders[(int) (written % slots.length)] = live();
            written++;
          }
          published.signalAll();
        } finally {
          lock.unlock();
        }
        if (n == 0) {
          atEnd.run();
          return;
        }
      }
    } catch (IOException e) {
      lock.lock();
      try {
        failure = e;
        published.signalAll();
      } finally {
        lock.unlock();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        in.close();
      } catch (IOException ignored) {
        // read-only
      }
    }
  }

  private int live() {
    int n = 0;
    for (boolean c : closed) {
      if (!c) {
        n++;
      }
    }
    return n;
  }

  private ChunkSource.Chunk take(int i) throws IOException {
    lock.lock();
    try {
      while (positions[i] == written && !ended && failure == null) {
        published.awaitUninterruptibly();
      }
      if (positions[i] < written) {
        int s = (int) (positions[i]++ % slots.length);
        holding[i][s] = true;
        return slots[s];
      }
      if (failure != null) {
        throw failure;
      }
      return null;
    } finally {
      lock.unlock();
    }
  }

  private void release(int i, ChunkSource.Chunk chunk) {
    lock.lock();
    try {
      for (int s = 0; s < slots.length; s++) {
        if (slots[s] == chunk) {
          drop(i, s);
          return;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** Consumer {@code i} lets go of slot {@code s}; a second release of one take is ignored. */
  private void drop(int i, int s) {
    if (holding[i][s]) {
      holding[i][s] = false;
      if (--holders[s] == 0) {
        freed.signal();
      }
    }
  }

  /**
   * Consumer {@code i} is done: what it took but did not release, and what it has not taken yet, no
   * longer waits for it; once every consumer has left, the reader stops.
   */
  private void leave(int i) {
    lock.lock();
    try {
      if (closed[i]) {
        return;
      }
      closed[i] = true;
      for (int s = 0; s < slots.length; s++) {
        drop(i, s);
      }
      // Chunks published but not yet taken by i still count i as a holder.
      for (long k = positions[i]; k < written; k++) {
        int s = (int) (k % slots.length);
        if (--holders[s] == 0) {
          freed.signal();
        }
      }
      positions[i] = written;
      if (live() == 0) {
        stopped = true;
        freed.signalAll();
        reader.interrupt();
      }
    } finally {
      lock.unlock();
    }
  }
}
