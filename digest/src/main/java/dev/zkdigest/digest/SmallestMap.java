package dev.zkdigest.digest;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BinaryOperator;

/**
 * Values by key for the findings' tables, at most {@code cap} keys: those first in {@code order}
 * (their {@link StableHash}), whatever the order they come in, like {@link BottomK}; the values of
 * the others are dropped. Values are immutable and added with {@code plus}: these tables see a few
 * updates per watch event, large frame or closed connection, not per request.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class SmallestMap<K, V> {
  private final int cap;
  private final BinaryOperator<V> plus;
  private final Map<K, V> values = new HashMap<>();
  private final TreeSet<K> keys;

  SmallestMap(int cap, java.util.Comparator<K> order, BinaryOperator<V> plus) {
    this.cap = cap;
    this.plus = plus;
    this.keys = new TreeSet<>(order);
  }

  /** Whether {@code key} is kept now or would be if added. */
  boolean admits(K key) {
    return values.containsKey(key)
        || keys.size() < cap
        || keys.comparator().compare(key, keys.last()) < 0;
  }

  void add(K key, V value) {
    V old = values.get(key);
    if (old != null) {
      values.put(key, plus.apply(old, value));
      return;
    }
    if (!admits(key)) {
      return;
    }
    if (keys.size() == cap) {
      values.remove(keys.pollLast());
    }
    keys.add(key);
    values.put(key, value);
  }

  Map<K, V> toMap() {
    return new HashMap<>(values);
  }
}
