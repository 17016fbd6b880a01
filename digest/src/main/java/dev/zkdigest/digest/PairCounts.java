package dev.zkdigest.digest;

/**
 * Counts per pair of small ids (a class and a client): an open-addressing table of primitive longs,
 * so counting a request is one probe and no allocation. Exact, up to {@code maxPairs} distinct
 * pairs; a pair first seen past that is not counted (the caller reports the rest as "other").
 *
 * <p>Memory: at most {@code 4 * maxPairs} longs (the table stays at most half full).
 *
 * <p>Threading: not thread-safe; guarded by the owning {@link Digest}.
 */
final class PairCounts {
  /** Receives one pair and its count. */
  interface PairConsumer {
    void accept(int a, int b, long count);
  }

  private final int maxPairs;
  private long[] keys = new long[64];
  private long[] counts = new long[64];
  private int size;

  PairCounts(int maxPairs) {
    this.maxPairs = maxPairs;
  }

  /** Adds {@code n} to pair (a, b); false if the pair is new and there is no room for it. */
  boolean add(int a, int b, long n) {
    long key = (long) a << 32 | (b & 0xffffffffL);
    int mask = keys.length - 1;
    int i = slot(key, mask);
    while (counts[i] != 0) {
      if (keys[i] == key) {
        counts[i] += n;
        return true;
      }
      i = (i + 1) & mask;
    }
    if (size >= maxPairs) {
      return false;
    }
    keys[i] = key;
    counts[i] = n;
    size++;
    if (size * 2 > keys.length) {
      grow();
    }
    return true;
  }

  int size() {
    return size;
  }

  void forEach(PairConsumer action) {
    for (int i = 0; i < keys.length; i++) {
      if (counts[i] != 0) {
        action.accept((int) (keys[i] >>> 32), (int) keys[i], counts[i]);
      }
    }
  }

  private void grow() {
    long[] oldKeys = keys;
    long[] oldCounts = counts;
    keys = new long[oldKeys.length * 2];
    counts = new long[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldCounts[j] != 0) {
        int i = slot(oldKeys[j], mask);
        while (counts[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        counts[i] = oldCounts[j];
      }
    }
  }

  private static int slot(long key, int mask) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }
}
