package dev.zkdigest.quorum;

/**
 * When each recent zxid was first proposed, on whichever connection: the start of the quorum's
 * commit time. Zxids only grow, so they sit in a ring in order and are found by binary search; the
 * oldest leave when it is full.
 *
 * <p>Threading: not thread-safe; owned by one {@link QuorumRecorder}.
 */
final class ZxidTimes {
  private final int capacity;
  private long[] zxids = new long[64];
  private long[] nanos = new long[64];
  private int head;
  private int size;

  /** Up to {@code capacity} zxids, in arrays that grow to it as needed. */
  ZxidTimes(int capacity) {
    this.capacity = capacity;
  }

  /** The first time {@code zxid} was seen; later sightings and older zxids are ignored. */
  void first(long zxid, long when) {
    if (size > 0 && zxid <= zxids[index(size - 1)]) {
      return;
    }
    if (size == capacity) {
      head = (head + 1) % zxids.length;
      size--;
    } else if (size == zxids.length) {
      grow();
    }
    int i = index(size);
    zxids[i] = zxid;
    nanos[i] = when;
    size++;
  }

  /** When {@code zxid} was first seen, or -1 if it is not (or no longer) known. */
  long get(long zxid) {
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
        return nanos[index(mid)];
      }
    }
    return -1;
  }

  private void grow() {
    int n = Math.min(zxids.length * 2, capacity);
    long[] z = new long[n];
    long[] t = new long[n];
    for (int k = 0; k < size; k++) {
      z[k] = zxids[index(k)];
      t[k] = nanos[index(k)];
    }
    zxids = z;
    nanos = t;
    head = 0;
  }

  private int index(int k) {
    return (head + k) % zxids.length;
  }
}
