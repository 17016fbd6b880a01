package dev.zkdigest.digest;

import java.util.Arrays;

/**
 * Counts distinct 64-bit hashes: exactly up to {@code capacity}, and past it by the
 * k-minimum-values estimate from the {@code capacity} smallest hashes, which are kept. The estimate
 * depends on the set of hashes alone, so counters of several threads or reports merge into exactly
 * what one counter of everything would say (its relative error is about {@code 1/sqrt(capacity)}).
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class DistinctCounter {
  private final BottomK kept;

  DistinctCounter(int capacity) {
    kept = new BottomK(capacity);
  }

  void add(long hash) {
    if (kept.find(hash) < 0) {
      kept.add(hash);
    }
  }

  /** The kept hashes, sorted: what a snapshot carries. */
  long[] hashes() {
    long[] out = new long[kept.size()];
    int[] i = {0};
    kept.forEach((hash, id) -> out[i[0]++] = hash);
    Arrays.sort(out);
    return out;
  }

  /** Whether more hashes were seen than are kept (then the count is an estimate). */
  boolean overflowed() {
    return kept.overflowed();
  }

  int capacity() {
    return kept.capacity();
  }
}
