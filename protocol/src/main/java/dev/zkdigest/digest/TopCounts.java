package dev.zkdigest.digest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The heaviest keys of a stream in fixed memory: the Space-Saving algorithm (Metwally et al.) with
 * {@code k} counters. Keys are counted exactly while there are at most {@code k} of them; beyond
 * that a new key takes the place of the smallest counter and inherits its count as its possible
 * overestimate, so every key that has more than {@code total / k} occurrences is kept.
 *
 * <p>Keys are compared by reference first: callers that pass canonical strings (one per client
 * address) never reach {@code equals}.
 *
 * <p>Threading: not thread-safe; guarded by the owning {@link Digest}.
 */
final class TopCounts {
  private final String[] keys;
  private final long[] counts;
  private final long[] overestimates;
  private int size;
  private long total;
  private boolean displaced;

  /** Where the last key was found: a connection's requests come in bursts. */
  private int last;

  TopCounts(int k) {
    keys = new String[k];
    counts = new long[k];
    overestimates = new long[k];
  }

  void add(String key, long n) {
    total += n;
    if (last < size && keys[last] == key) {
      counts[last] += n;
      return;
    }
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        counts[i] += n;
        last = i;
        return;
      }
    }
    for (int i = 0; i < size; i++) {
      if (keys[i].equals(key)) {
        counts[i] += n;
        last = i;
        return;
      }
    }
    if (size < keys.length) {
      keys[size] = key;
      counts[size] = n;
      last = size;
      size++;
      return;
    }
    displaced = true;
    int min = 0;
    for (int i = 1; i < size; i++) {
      if (counts[i] < counts[min]) {
        min = i;
      }
    }
    overestimates[min] = counts[min];
    keys[min] = key;
    counts[min] += n;
    last = min;
  }

  /** Everything counted, the keys that were displaced included. */
  long total() {
    return total;
  }

  void addAll(TopCounts other) {
    displaced |= other.displaced;
    for (int i = 0; i < other.size; i++) {
      add(other.keys[i], other.guaranteed(i));
    }
    // What the other counted but no longer holds still counts toward the total.
    long held = 0;
    for (int i = 0; i < other.size; i++) {
      held += other.guaranteed(i);
    }
    total += other.total - held;
  }

  private long guaranteed(int i) {
    return counts[i] - overestimates[i];
  }

  /**
   * At most {@code limit} keys, largest first, with the count each is known to have at least, then
   * {@code other} with the rest of the total if there is any. While no key was displaced the counts
   * are exact and every key may be listed; after that only keys known to hold at least 1% of the
   * total are, since lower bounds near zero say nothing (many keys of similar weight).
   */
  List<Map.Entry<String, Long>> ranked(String other, int limit) {
    List<Map.Entry<String, Long>> l = new ArrayList<>(size + 1);
    long floor = displaced ? Math.max(1, total / 100) : 1;
    for (int i = 0; i < size; i++) {
      long g = guaranteed(i);
      if (g >= floor) {
        l.add(Map.entry(keys[i], g));
      }
    }
    l.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry::getKey));
    if (l.size() > limit) {
      l = new ArrayList<>(l.subList(0, limit));
    }
    long listed = 0;
    for (Map.Entry<String, Long> e : l) {
      listed += e.getValue();
    }
    if (total > listed) {
      l.add(Map.entry(other, total - listed));
    }
    return l;
  }
}
