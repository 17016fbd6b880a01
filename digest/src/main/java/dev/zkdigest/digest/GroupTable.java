package dev.zkdigest.digest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Stats by key with a cap on distinct keys: once full, new keys share one overflow group, and how
 * many were folded there is counted, so hostile cardinality cannot grow memory.
 */
final class GroupTable<K> {
  private final int maxKeys;
  private final K overflowKey;

  /** Makes the stats of the n-th group (0-based), so the first groups can be kept finer. */
  private final IntFunction<Stats> factory;

  private final Map<K, Stats> groups = new HashMap<>();
  private long overflowed;

  GroupTable(int maxKeys, K overflowKey, IntFunction<Stats> factory) {
    this.maxKeys = maxKeys;
    this.overflowKey = overflowKey;
    this.factory = factory;
  }

  Stats get(K key) {
    Stats s = groups.get(key);
    if (s != null) {
      return s;
    }
    if (groups.size() >= maxKeys) {
      overflowed++;
      key = overflowKey;
      s = groups.get(key);
      if (s != null) {
        return s;
      }
    }
    s = factory.apply(groups.size());
    groups.put(key, s);
    return s;
  }

  Map<K, Stats> all() {
    return groups;
  }

  /** How many lookups of new keys were folded into the overflow group. */
  long overflowed() {
    return overflowed;
  }

  void merge(GroupTable<K> other) {
    other.groups.forEach((k, v) -> get(k).merge(v));
    overflowed += other.overflowed;
  }
}
