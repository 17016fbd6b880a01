package dev.zkdigest.agent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded hand-off from the application's threads (many producers) to the agent's decoding
 * thread (one consumer): a ring of bytes in which each producer claims room for a record with one
 * compare-and-set on the tail, copies its bytes in and publishes the record by writing its length
 * last (release). The consumer reads records in order while their length is set (acquire), hands
 * each to the decoder where it lies, then zeroes what it read and moves the head on. A producer
 * never waits: when there is no room, the record is dropped and counted. Memory is the ring and
 * nothing else.
 *
 * <p>A record that would cross the end of the ring is preceded by a padding record up to the end,
 * and starts again at index 0. A producer that has claimed room but not yet published holds up the
 * consumer (not the other producers) until it does; the copy between is a few bytes to a frame.
 *
 * <p>A lock-based queue of byte arrays was the simpler alternative; it takes a lock and allocates
 * on the application's threads, which the agent promises not to do beyond one compare-and-set.
 */
final class Handoff {
  static final int FROM_CLIENT = 1;
  static final int FROM_SERVER = 2;
  static final int CLOSED = 3;
  private static final int PADDING = 4;

  /** length (int), type (int), connection (long), nanos (long), stream offset (long). */
  static final int HEADER = 32;

  private static final int ALIGNMENT = 8;
  private static final int TYPE_AT = 4;
  private static final int CONNECTION_AT = 8;
  private static final int NANOS_AT = 16;
  private static final int OFFSET_AT = 24;

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  /** Receives one record where it lies in the ring; valid only during the call. */
  interface Reader {
    void record(int type, long connection, long nanos, long offset, byte[] buf, int at, int len);
  }

  private final byte[] ring;
  private final int capacity;
  private final int mask;
  private final int maxPayload;
  private final AtomicLong tail = new AtomicLong();
  private volatile long head;
  private final LongAdder droppedBytes = new LongAdder();
  private final LongAdder droppedRecords = new LongAdder();

  /** A ring of {@code bytes} rounded up to a power of two. */
  Handoff(int bytes) {
    int cap = Integer.highestOneBit(Math.max(bytes, HEADER * 2));
    if (cap < bytes) {
      cap <<= 1;
    }
    this.capacity = cap;
    this.mask = cap - 1;
    // Half the ring: a record at most this large always fits once the ring has drained.
    this.maxPayload = cap / 2 - HEADER;
    this.ring = new byte[cap];
  }

  int capacity() {
    return capacity;
  }

  /** The largest payload one record can carry; a longer one is dropped whole. */
  int maxPayload() {
    return maxPayload;
  }

  long droppedBytes() {
    return droppedBytes.sum();
  }

  long droppedRecords() {
    return droppedRecords.sum();
  }

  /** Where the records claimed so far end: once {@link #consumed} reaches it, all were read. */
  long claimed() {
    return tail.get();
  }

  /** Where the records read so far (and handed to the reader) end. */
  long consumed() {
    return head;
  }

  /** Whether everything published has been read (a claim in progress counts as unread). */
  boolean isEmpty() {
    return tail.get() == head;
  }

  /**
   * Copies {@code len} bytes of {@code src} from absolute index {@code from} into a record; false
   * (and counted as dropped) if there is no room. Never blocks.
   */
  boolean offer(
      int type, long connection, long nanos, long offset, ByteBuffer src, int from, int len) {
    if (len > maxPayload) {
      drop(len);
      return false;
    }
    int index = claim(align(HEADER + len));
    if (index < 0) {
      drop(len);
      return false;
    }
    try {
      src.get(from, ring, index + HEADER, len);
    } finally {
      publish(index, HEADER + len, type, connection, nanos, offset);
    }
    return true;
  }

  /** A record without payload (a connection closing). */
  boolean offer(int type, long connection, long nanos) {
    int index = claim(HEADER);
    if (index < 0) {
      droppedRecords.increment();
      return false;
    }
    publish(index, HEADER, type, connection, nanos, 0);
    return true;
  }

  private void drop(int len) {
    droppedBytes.add(len);
    droppedRecords.increment();
  }

  private void publish(int index, int length, int type, long connection, long nanos, long off) {
    INT.set(ring, index + TYPE_AT, type);
    LONG.set(ring, index + CONNECTION_AT, connection);
    LONG.set(ring, index + NANOS_AT, nanos);
    LONG.set(ring, index + OFFSET_AT, off);
    INT.setRelease(ring, index, length);
  }

  /** Claims {@code required} bytes; returns their index, or -1 if the ring has no room. */
  private int claim(int required) {
    long t;
    int index;
    int padding;
    do {
      t = tail.get();
      long free = capacity - (t - head);
      index = (int) t & mask;
      int toEnd = capacity - index;
      padding = required > toEnd ? toEnd : 0;
      if (padding + required > free) {
        return -1;
      }
    } while (!tail.compareAndSet(t, t + padding + required));
    if (padding != 0) {
      INT.set(ring, index + TYPE_AT, PADDING);
      INT.setRelease(ring, index, padding);
      index = 0;
    }
    return index;
  }

  /**
   * Hands published records to {@code reader}, in order, up to about {@code limit} bytes; returns
   * the bytes consumed (0 if none was ready). Consumer thread only.
   */
  int poll(Reader reader, int limit) {
    long h = head;
    int start = (int) h & mask;
    int end = Math.min(capacity, start + Math.max(limit, HEADER));
    int at = start;
    try {
      while (at < end) {
        int length = (int) INT.getAcquire(ring, at);
        if (length <= 0) {
          break;
        }
        int record = at;
        // Past the record before the reader sees it: a reader that throws does not get it again.
        at += align(length);
        int type = (int) INT.get(ring, record + TYPE_AT);
        if (type != PADDING) {
          reader.record(
              type,
              (long) LONG.get(ring, record + CONNECTION_AT),
              (long) LONG.get(ring, record + NANOS_AT),
              (long) LONG.get(ring, record + OFFSET_AT),
              ring,
              record + HEADER,
              length - HEADER);
        }
      }
    } finally {
      if (at > start) {
        // Stale lengths in the bytes read would look published to the next lap.
        Arrays.fill(ring, start, at, (byte) 0);
        head = h + (at - start);
      }
    }
    return at - start;
  }

  private static int align(int n) {
    return (n + ALIGNMENT - 1) & -ALIGNMENT;
  }
}
