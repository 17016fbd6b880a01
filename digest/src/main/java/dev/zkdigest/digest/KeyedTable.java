package dev.zkdigest.digest;

import java.util.Arrays;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/**
 * Values by key, at most {@code capacity} keys: those with the smallest {@link StableHash} (see
 * {@link BottomK}); the values of every other key go to one {@code other} value. The key's hash is
 * given by the caller, who usually has it cached.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 *
 * @param <K> the key (an address, a session id, a reason)
 * @param <V> a mutable value (stats, counts)
 */
final class KeyedTable<K, V> {
  private final BottomK ids;

  /** Makes the value of the n-th id (0-based), so the first ones can be kept finer. */
  private final IntFunction<V> make;

  /** Adds the first value into the second: an evicted key's counts into {@code other}. */
  private final BiConsumer<V, V> absorbInto;

  private Object[] keys = new Object[16];
  private Object[] values = new Object[16];
  private V other;

  KeyedTable(int capacity, IntFunction<V> make, BiConsumer<V, V> absorbInto) {
    this.ids = new BottomK(capacity);
    this.make = make;
    this.absorbInto = absorbInto;
  }

  /** The value of {@code key} (of hash {@code hash}), or {@code other}'s past the cap. */
  @SuppressWarnings("unchecked")
  V get(K key, long hash) {
    int id = ids.find(hash);
    if (id >= 0) {
      // A different key of the same 64-bit hash is vanishingly rare; it counts as other.
      return key.equals(keys[id]) ? (V) values[id] : other();
    }
    id = ids.add(hash);
    if (id < 0) {
      return other();
    }
    if (ids.evicted() >= 0) {
      absorbInto.accept((V) values[id], other());
    } else if (id == keys.length) {
      keys = Arrays.copyOf(keys, Math.min(ids.capacity(), id * 2));
      values = Arrays.copyOf(values, keys.length);
    }
    V v = make.apply(id);
    keys[id] = key;
    values[id] = v;
    return v;
  }

  /** The value shared by the keys past the cap, made on first use. */
  V other() {
    if (other == null) {
      other = make.apply(Integer.MAX_VALUE);
    }
    return other;
  }

  /** The value of the keys past the cap, or null if there were none. */
  V otherOrNull() {
    return other;
  }

  int size() {
    return ids.size();
  }

  /** Whether keys were turned away or evicted (then the kept ones are the smallest hashes). */
  boolean overflowed() {
    return ids.overflowed();
  }

  @SuppressWarnings("unchecked")
  void forEach(BiConsumer<K, V> action) {
    ids.forEach((hash, id) -> action.accept((K) keys[id], (V) values[id]));
  }
}
