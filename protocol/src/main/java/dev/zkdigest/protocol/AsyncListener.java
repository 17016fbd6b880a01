package dev.zkdigest.protocol;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands what the protocol core reports to another thread, so decoding and digesting run on two
 * cores. Events are written into batches of parallel arrays (no object per event) and passed
 * through a queue of a few batches: a slow consumer makes the producer wait, so memory is bounded
 * at {@code (QUEUED + 2) * BATCH} events.
 *
 * <p>Threading: one producer thread calls the listener methods; {@link #close} is called by the
 * producer when it is done, and returns once every event has been delivered.
 */
public final class AsyncListener implements TrafficListener, AutoCloseable {
  private static final int BATCH = 4096;
  private static final int QUEUED = 4;

  private static final int OPENED = 1;
  private static final int BYTES = 2;
  private static final int REQUEST = 3;
  private static final int EXCHANGE = 4;
  private static final int UNMATCHED = 5;
  private static final int EVENT = 6;
  private static final int FOUR_LETTER = 7;
  private static final int PENDING = 8;
  private static final int DECODE_ERROR = 9;
  private static final int SKIPPED = 10;
  private static final int CLOSED = 11;
  private static final int IGNORED = 12;

  private static final class Batch {
    final int[] kind = new int[BATCH];
    final ConnectionMeta[] conn = new ConnectionMeta[BATCH];
    final Object[] a = new Object[BATCH];
    final Object[] b = new Object[BATCH];
    final long[] x = new long[BATCH];
    final long[] y = new long[BATCH];
    final long[] z = new long[BATCH];
    int size;
  }

  private static final Batch END = new Batch();

  private final TrafficListener delegate;
  private final BlockingQueue<Batch> full = new ArrayBlockingQueue<>(QUEUED);
  private final BlockingQueue<Batch> free = new ArrayBlockingQueue<>(QUEUED + 2);
  private final Thread consumer;
  private Batch current = new Batch();
  private volatile Throwable failure;

  public AsyncListener(TrafficListener delegate, String threadName) {
    this.delegate = delegate;
    for (int i = 0; i < QUEUED + 1; i++) {
      free.add(new Batch());
    }
    consumer = new Thread(this::consume, threadName);
    consumer.setDaemon(true);
    consumer.start();
  }

  private void add(int kind, ConnectionMeta c, Object a, Object b, long x, long y, long z) {
    Batch t = current;
    int i = t.size;
    t.kind[i] = kind;
    t.conn[i] = c;
    t.a[i] = a;
    t.b[i] = b;
    t.x[i] = x;
    t.y[i] = y;
    t.z[i] = z;
    t.size = i + 1;
    if (t.size == BATCH) {
      handOver();
    }
  }

  private void handOver() {
    try {
      full.put(current);
      current = free.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while handing over events", e);
    }
  }

  private void consume() {
    try {
      while (true) {
        Batch t = full.take();
        if (t == END) {
          return;
        }
        for (int i = 0; i < t.size; i++) {
          dispatch(t, i);
          t.conn[i] = null;
          t.a[i] = null;
          t.b[i] = null;
        }
        t.size = 0;
        free.put(t);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure = e;
      // Keep draining so the producer never blocks forever.
      try {
        while (true) {
          Batch t = full.take();
          if (t == END) {
            return;
          }
          t.size = 0;
          free.put(t);
        }
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void dispatch(Batch t, int i) {
    ConnectionMeta c = t.conn[i];
    switch (t.kind[i]) {
      case OPENED -> delegate.opened(c);
      case BYTES ->
          delegate.bytes(c, (Direction) t.a[i], (int) Math.min(Integer.MAX_VALUE, t.x[i]), t.y[i]);
      case REQUEST -> delegate.request(c, t.x[i], (ZkRequest) t.a[i]);
      case EXCHANGE -> delegate.exchange(c, t.x[i], (ZkRequest) t.a[i], (ZkReply) t.b[i]);
      case UNMATCHED -> delegate.unmatched(c, t.x[i], (ZkReply) t.a[i]);
      case EVENT -> delegate.event(c, t.x[i], (WatchEvent) t.a[i]);
      case FOUR_LETTER -> delegate.fourLetterWord(c, (String) t.a[i], t.x[i], t.y[i], t.z[i]);
      case PENDING -> delegate.pending(c, t.x[i], (ZkRequest) t.a[i]);
      case DECODE_ERROR -> delegate.decodeError(c, (Direction) t.a[i], (String) t.b[i], t.x[i]);
      case SKIPPED -> delegate.skipped(c, (Direction) t.a[i], t.x[i]);
      case CLOSED -> delegate.closed(c, t.x[i]);
      case IGNORED -> delegate.ignored((String) t.a[i], (int) t.x[i], t.y[i]);
      default -> throw new IllegalStateException("unknown event kind");
    }
  }

  /** Delivers what is left, then stops the consumer; rethrows what the delegate threw. */
  @Override
  public void close() {
    try {
      if (current.size > 0) {
        full.put(current);
      }
      full.put(END);
      consumer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (failure instanceof RuntimeException r) {
      throw r;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  @Override
  public void opened(ConnectionMeta c) {
    add(OPENED, c, null, null, 0, 0, 0);
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    // Consecutive chunks of one direction (a reply split at the MSS) become one event.
    Batch t = current;
    int last = t.size - 1;
    if (last >= 0 && t.kind[last] == BYTES && t.conn[last] == c && t.a[last] == d) {
      t.x[last] += n;
      t.y[last] = Math.max(t.y[last], nanos);
      return;
    }
    add(BYTES, c, d, null, n, nanos, 0);
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    add(REQUEST, c, r, null, s, 0, 0);
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    add(EXCHANGE, c, r, reply, s, 0, 0);
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    add(UNMATCHED, c, reply, null, s, 0, 0);
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    add(EVENT, c, e, null, s, 0, 0);
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    add(FOUR_LETTER, c, cmd, null, req, bytes, end);
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    add(PENDING, c, r, null, s, 0, 0);
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    add(DECODE_ERROR, c, d, reason, nanos, 0, 0);
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    add(SKIPPED, c, d, null, bytes, 0, 0);
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    add(CLOSED, c, null, null, nanos, 0, 0);
  }

  @Override
  public void ignored(String server, int flows, long bytes) {
    add(IGNORED, null, server, null, flows, bytes, 0);
  }
}
