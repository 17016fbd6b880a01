package dev.zkdigest.protocol;

import java.util.function.Consumer;

/**
 * Requests of one connection awaiting their reply, by xid: an open-addressing table of int keys (no
 * boxing, no entry objects per request) and a ring in the order they were sent, so the oldest can
 * be given up first when the cap is reached.
 *
 * <p>ZooKeeper answers a session's requests in order, so the reply almost always takes the ring's
 * head; entries answered out of order stay in the ring as stale until they reach the head or the
 * ring is compacted, which keeps it within a small multiple of the live count.
 *
 * <p>Threading: not thread-safe; owned by one {@link ZkConnection}.
 */
final class PendingRequests {
  private int[] keys = new int[4];
  private ZkRequest[] vals = new ZkRequest[4];
  private int size;

  private ZkRequest[] ring = new ZkRequest[4];
  private int head;
  private int count;

  int size() {
    return size;
  }

  /** Adds a request; returns the one it replaces with the same xid, or null. */
  ZkRequest put(ZkRequest r) {
    int xid = r.xid();
    int mask = keys.length - 1;
    int i = slot(xid, mask);
    ZkRequest previous = null;
    while (vals[i] != null) {
      if (keys[i] == xid) {
        previous = vals[i];
        break;
      }
      i = (i + 1) & mask;
    }
    keys[i] = xid;
    vals[i] = r;
    if (previous == null) {
      size++;
      if (size * 2 > keys.length) {
        rehash(keys.length * 2);
      }
    }
    append(r);
    return previous;
  }

  /** Removes and returns the request with this xid, or null. */
  ZkRequest remove(int xid) {
    int mask = keys.length - 1;
    int i = slot(xid, mask);
    while (vals[i] != null) {
      if (keys[i] == xid) {
        ZkRequest r = vals[i];
        delete(i, mask);
        size--;
        trimHead();
        return r;
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /** Removes and returns the oldest request still waiting, or null. */
  ZkRequest pollOldest() {
    trimHead();
    if (count == 0) {
      return null;
    }
    ZkRequest r = ring[head];
    return remove(r.xid());
  }

  /** Every request still waiting, oldest first. */
  void forEach(Consumer<ZkRequest> action) {
    for (int k = 0; k < count; k++) {
      ZkRequest r = ring[(head + k) & (ring.length - 1)];
      if (isLive(r)) {
        action.accept(r);
      }
    }
  }

  void clear() {
    java.util.Arrays.fill(vals, null);
    java.util.Arrays.fill(ring, null);
    size = 0;
    head = 0;
    count = 0;
  }

  private ZkRequest get(int xid) {
    int mask = keys.length - 1;
    for (int i = slot(xid, mask); vals[i] != null; i = (i + 1) & mask) {
      if (keys[i] == xid) {
        return vals[i];
      }
    }
    return null;
  }

  private boolean isLive(ZkRequest r) {
    return get(r.xid()) == r;
  }

  private void trimHead() {
    while (count > 0 && !isLive(ring[head])) {
      ring[head] = null;
      head = (head + 1) & (ring.length - 1);
      count--;
    }
  }

  private void append(ZkRequest r) {
    if (count == ring.length) {
      compact();
      if (count * 4 > ring.length * 3) {
        growRing();
      }
    }
    ring[(head + count) & (ring.length - 1)] = r;
    count++;
  }

  /** Drops the entries answered out of order, keeping the order of the rest. */
  private void compact() {
    int kept = 0;
    for (int k = 0; k < count; k++) {
      int from = (head + k) & (ring.length - 1);
      ZkRequest r = ring[from];
      ring[from] = null;
      if (isLive(r)) {
        ring[(head + kept) & (ring.length - 1)] = r;
        kept++;
      }
    }
    count = kept;
  }

  private void growRing() {
    ZkRequest[] bigger = new ZkRequest[ring.length * 2];
    for (int k = 0; k < count; k++) {
      bigger[k] = ring[(head + k) & (ring.length - 1)];
    }
    ring = bigger;
    head = 0;
  }

  private void rehash(int capacity) {
    int[] oldKeys = keys;
    ZkRequest[] oldVals = vals;
    keys = new int[capacity];
    vals = new ZkRequest[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldVals.length; j++) {
      if (oldVals[j] != null) {
        int i = slot(oldKeys[j], mask);
        while (vals[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        vals[i] = oldVals[j];
      }
    }
  }

  /** Linear-probing deletion by backward shift: no tombstones, so lookups stay short. */
  private void delete(int i, int mask) {
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      if (vals[j] == null) {
        break;
      }
      int home = slot(keys[j], mask);
      // Move j into the hole unless its home lies cyclically in (hole, j].
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        keys[hole] = keys[j];
        vals[hole] = vals[j];
        hole = j;
      }
    }
    vals[hole] = null;
  }

  private static int slot(int xid, int mask) {
    int h = xid * 0x9E3779B9;
    return (h ^ (h >>> 16)) & mask;
  }
}
