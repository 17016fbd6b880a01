package dev.zkdigest.digest;

import java.util.Arrays;

/**
 * Small dense ids for at most {@code capacity} keys, each key a 64-bit {@link StableHash}: the
 * {@code capacity} smallest keys ever added stay, whatever their order of arrival. Adding a smaller
 * key to a full set evicts the largest; adding a larger one is refused. So a table built on it
 * holds the same keys in every thread, run and report that saw the same keys, and tables merged key
 * by key hold exactly what one table of everything would: the property that makes digests exact at
 * any thread count (a first-come cap keeps whichever keys each thread met first).
 *
 * <p>The simpler alternative, a {@code HashMap} that stops growing at the cap, is what made replay
 * depend on its thread count. Counting sketches (space-saving) would keep the heaviest keys, but
 * inexactly.
 *
 * <p>Lookups allocate nothing: open addressing over the keys, with tombstones for the rare
 * evictions; a max-heap of the kept keys finds the one to evict. Memory: about 40 bytes per kept
 * key.
 *
 * <p>Threading: not thread-safe; owned by one table.
 */
final class BottomK {
  private static final int EMPTY = -1;
  private static final int TOMBSTONE = -2;

  private final int capacity;
  private long[] slotKeys;
  private int[] slotIds;
  private int used; // live keys and tombstones in the slots

  /** Max-heap of the kept keys, with each one's id. */
  private long[] heapKeys = new long[16];

  private int[] heapIds = new int[16];
  private int size;
  private int evicted = EMPTY;
  private boolean overflowed;

  BottomK(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
    slotKeys = new long[16];
    slotIds = new int[16];
    Arrays.fill(slotIds, EMPTY);
  }

  int capacity() {
    return capacity;
  }

  int size() {
    return size;
  }

  boolean full() {
    return size == capacity;
  }

  /** Whether a key was ever refused or evicted: then more than {@code capacity} keys were seen. */
  boolean overflowed() {
    return overflowed;
  }

  /** The largest key kept (meaningful when not empty). */
  long maxKey() {
    return heapKeys[0];
  }

  /** The id of {@code key}, or -1 if it is not kept. */
  int find(long key) {
    int mask = slotKeys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      int id = slotIds[i];
      if (id == EMPTY) {
        return -1;
      }
      if (id != TOMBSTONE && slotKeys[i] == key) {
        return id;
      }
    }
  }

  /** Whether {@code key} (not kept yet) would be kept if added now. */
  boolean admits(long key) {
    return size < capacity || key < heapKeys[0];
  }

  /**
   * Adds {@code key}, which must not be kept yet. Returns its id, or -1 if it is refused; when
   * adding it evicted another key, {@link #evicted} returns that key's id, which is now {@code
   * key}'s.
   */
  int add(long key) {
    evicted = EMPTY;
    if (!admits(key)) {
      overflowed = true;
      return -1;
    }
    int id;
    if (size == capacity) {
      overflowed = true;
      id = heapIds[0];
      remove(heapKeys[0]);
      evicted = id;
      heapKeys[0] = key;
      heapIds[0] = id;
      siftDown(0);
    } else {
      id = size;
      if (size == heapKeys.length) {
        heapKeys = Arrays.copyOf(heapKeys, Math.min(capacity, size * 2));
        heapIds = Arrays.copyOf(heapIds, heapKeys.length);
      }
      heapKeys[size] = key;
      heapIds[size] = id;
      size++;
      siftUp(size - 1);
    }
    insert(key, id);
    return id;
  }

  /** The id given up by the last {@link #add}, or -1 if it evicted nothing. */
  int evicted() {
    return evicted;
  }

  /** Calls {@code action} with each kept key and its id. */
  void forEach(KeyIdConsumer action) {
    for (int i = 0; i < size; i++) {
      action.accept(heapKeys[i], heapIds[i]);
    }
  }

  interface KeyIdConsumer {
    void accept(long key, int id);
  }

  private void insert(long key, int id) {
    if ((used + 1) * 2 > slotKeys.length) {
      rehash(size * 2 > slotKeys.length / 2 ? slotKeys.length * 2 : slotKeys.length);
    }
    int mask = slotKeys.length - 1;
    int i = slot(key, mask);
    while (slotIds[i] >= 0) {
      i = (i + 1) & mask;
    }
    if (slotIds[i] == EMPTY) {
      used++;
    }
    slotKeys[i] = key;
    slotIds[i] = id;
  }

  private void remove(long key) {
    int mask = slotKeys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      if (slotIds[i] >= 0 && slotKeys[i] == key) {
        slotIds[i] = TOMBSTONE;
        return;
      }
    }
  }

  private void rehash(int slots) {
    long[] oldKeys = slotKeys;
    int[] oldIds = slotIds;
    slotKeys = new long[slots];
    slotIds = new int[slots];
    Arrays.fill(slotIds, EMPTY);
    used = 0;
    int mask = slots - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      if (oldIds[j] >= 0) {
        int i = slot(oldKeys[j], mask);
        while (slotIds[i] != EMPTY) {
          i = (i + 1) & mask;
        }
        slotKeys[i] = oldKeys[j];
        slotIds[i] = oldIds[j];
        used++;
      }
    }
  }

  private static int slot(long key, int mask) {
    // Keys are already well mixed hashes.
    return (int) (key ^ (key >>> 32)) & mask;
  }

  private void siftUp(int i) {
    long k = heapKeys[i];
    int id = heapIds[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (heapKeys[parent] >= k) {
        break;
      }
      heapKeys[i] = heapKeys[parent];
      heapIds[i] = heapIds[parent];
      i = parent;
    }
    heapKeys[i] = k;
    heapIds[i] = id;
  }

  private void siftDown(int i) {
    long k = heapKeys[i];
    int id = heapIds[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && heapKeys[child + 1] > heapKeys[child]) {
        child++;
      }
      if (heapKeys[child] <= k) {
        break;
      }
      heapKeys[i] = heapKeys[child];
      heapIds[i] = heapIds[child];
      i = child;
    }
    heapKeys[i] = k;
    heapIds[i] = id;
  }
}
