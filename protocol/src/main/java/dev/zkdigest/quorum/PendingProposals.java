package dev.zkdigest.quorum;

/**
 * The proposals a leader sent on one connection that still await the learner's ACK or the leader's
 * COMMIT, by zxid. Zxids only grow on a connection, so they sit in a ring in send order and are
 * found by binary search; entries leave from the oldest end once both answers came, or when the
 * ring is full (a learner that never acknowledges, an observer). A hash map was not needed: the
 * ring stays short because answers come in order.
 *
 * <p>Threading: not thread-safe; owned by one {@link ZabConnection}.
 */
final class PendingProposals {
  private static final byte ACKED = 1;
  private static final byte COMMITTED = 2;
  private static final byte DONE = ACKED | COMMITTED;

  private final int capacity;
  private long[] zxids = new long[16];
  private long[] nanos = new long[16];
  private byte[] flags = new byte[16];
  private int head;
  private int size;
  private long evicted;

  PendingProposals(int capacity) {
    this.capacity = capacity;
  }

  int size() {
    return size;
  }

  /** Proposals dropped unanswered because the ring was full. */
  long evicted() {
    return evicted;
  }

  /** A proposal sent at {@code when}; ignored unless its zxid is above every pending one. */
  void add(long zxid, long when) {
    if (size > 0 && zxid <= zxids[index(size - 1)]) {
      return;
    }
    if (size == capacity) {
      removeOldest();
      evicted++;
    } else if (size == zxids.length) {
      grow();
    }
    int i = index(size);
    zxids[i] = zxid;
    nanos[i] = when;
    flags[i] = 0;
    size++;
  }

  /** The learner acknowledged {@code zxid}: when it was proposed, or -1 if not pending. */
  long acked(long zxid) {
    return answer(zxid, ACKED);
  }

  /** The leader committed {@code zxid}: when it was proposed, or -1 if not pending. */
  long committed(long zxid) {
    return answer(zxid, COMMITTED);
  }

  private long answer(long zxid, byte flag) {
    int at = find(zxid);
    if (at < 0 || (flags[at] & flag) != 0) {
      return -1;
    }
    flags[at] |= flag;
    long when = nanos[at];
    while (size > 0 && flags[head] == DONE) {
      removeOldest();
    }
    return when;
  }

  private int find(long zxid) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long z = zxids[index(mid)];
      if (z < zxid) {
        lo = mid + 1;
      } else if (z > zxid) {
        hi = mid - 1;
      } else {
        return index(mid);
      }
    }
    return -1;
  }

  private void removeOldest() {
    head = (head + 1) % zxids.length;
    size--;
  }

  private int index(int k) {
    return (head + k) % zxids.length;
  }

  private void grow() {
    int n = Math.min(zxids.length * 2, capacity);
    long[] z = new long[n];
    long[] t = new long[n];
    byte[] f = new byte[n];
    for (int k = 0; k < size; k++) {
      z[k] = zxids[index(k)];
      t[k] = nanos[index(k)];
      f[k] = flags[index(k)];
    }
    zxids = z;
    nanos = t;
    flags = f;
    head = 0;
  }
}
