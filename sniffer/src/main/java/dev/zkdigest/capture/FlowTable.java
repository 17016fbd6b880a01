package dev.zkdigest.capture;

/**
 * TCP flows by their four-tuple (client end, server end), found without allocating a key: an
 * open-addressing table over the flows' own address fields, and an intrusive list from least to
 * most recently used, so the flow to close when the table is full is at hand.
 *
 * <p>Threading: not thread-safe; owned by one {@link TcpTracker}.
 *
 * @param <F> the flow type, which carries its key and list links
 */
final class FlowTable<F extends FlowTable.Flow> {

  /** A flow as the table needs it: its key, fixed at creation, and its links. */
  abstract static class Flow {
    final boolean ipv6;
    final long clientHi;
    final long clientLo;
    final int clientPort;
    final long serverHi;
    final long serverLo;
    final int serverPort;
    final int hash;
    Flow older;
    Flow newer;

    Flow(
        boolean ipv6,
        long clientHi,
        long clientLo,
        int clientPort,
        long serverHi,
        long serverLo,
        int serverPort) {
      this.ipv6 = ipv6;
      this.clientHi = clientHi;
      this.clientLo = clientLo;
      this.clientPort = clientPort;
      this.serverHi = serverHi;
      this.serverLo = serverLo;
      this.serverPort = serverPort;
      this.hash = hash(clientHi, clientLo, clientPort, serverHi, serverLo, serverPort);
    }

    final boolean is(boolean v6, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort) {
      return clientPort == cPort
          && serverPort == sPort
          && clientLo == cLo
          && serverLo == sLo
          && clientHi == cHi
          && serverHi == sHi
          && ipv6 == v6;
    }
  }

  private Flow[] slots = new Flow[64];
  private int size;
  private Flow oldest;
  private Flow newest;

  int size() {
    return size;
  }

  /** The flow with this client and server end, marked as just used; or null. */
  @SuppressWarnings("unchecked")
  F find(boolean v6, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort) {
    int mask = slots.length - 1;
    for (int i = hash(cHi, cLo, cPort, sHi, sLo, sPort) & mask; ; i = (i + 1) & mask) {
      Flow f = slots[i];
      if (f == null) {
        return null;
      }
      if (f.is(v6, cHi, cLo, cPort, sHi, sLo, sPort)) {
        touch(f);
        return (F) f;
      }
    }
  }

  /** Adds a flow whose key is not in the table yet, as the most recently used. */
  void add(F f) {
    if ((size + 1) * 2 > slots.length) {
      resize(slots.length * 2);
    }
    place(f);
    size++;
    link(f);
  }

  void remove(F f) {
    int mask = slots.length - 1;
    int i = f.hash & mask;
    while (slots[i] != f) {
      if (slots[i] == null) {
        return; // not in the table
      }
      i = (i + 1) & mask;
    }
    deleteAt(i, mask);
    size--;
    unlink(f);
  }

  /** The least recently used flow, or null. */
  @SuppressWarnings("unchecked")
  F oldest() {
    return (F) oldest;
  }

  /** Every flow, least recently used first; the array is a copy, so the table may change. */
  Flow[] snapshot() {
    Flow[] all = new Flow[size];
    int k = 0;
    for (Flow f = oldest; f != null; f = f.newer) {
      all[k++] = f;
    }
    return all;
  }

  private void touch(Flow f) {
    if (newest != f) {
      unlink(f);
      link(f);
    }
  }

  private void link(Flow f) {
    f.older = newest;
    f.newer = null;
    if (newest != null) {
      newest.newer = f;
    } else {
      oldest = f;
    }
    newest = f;
  }

  private void unlink(Flow f) {
    if (f.older != null) {
      f.older.newer = f.newer;
    } else {
      oldest = f.newer;
    }
    if (f.newer != null) {
      f.newer.older = f.older;
    } else {
      newest = f.older;
    }
    f.older = null;
    f.newer = null;
  }

  private void place(Flow f) {
    int mask = slots.length - 1;
    int i = f.hash & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    slots[i] = f;
  }

  private void resize(int capacity) {
    Flow[] old = slots;
    slots = new Flow[capacity];
    for (Flow f : old) {
      if (f != null) {
        place(f);
      }
    }
  }

  /** Linear-probing deletion by backward shift: no tombstones, so lookups stay short. */
  private void deleteAt(int i, int mask) {
    int hole = i;
    int j = i;
    while (true) {
      j = (j + 1) & mask;
      Flow f = slots[j];
      if (f == null) {
        break;
      }
      int home = f.hash & mask;
      boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (!stays) {
        slots[hole] = f;
        hole = j;
      }
    }
    slots[hole] = null;
  }

  static int hash(long cHi, long cLo, int cPort, long sHi, long sLo, int sPort) {
    long h = cLo * 0x9E3779B97F4A7C15L;
    h ^= sLo * 0xC2B2AE3D27D4EB4FL;
    h ^= (cHi ^ Long.rotateLeft(sHi, 17)) * 0x165667B19E3779F9L;
    h ^= ((long) cPort << 16 | sPort) * 0x27D4EB2F165667C5L;
    return (int) (h ^ (h >>> 29) ^ (h >>> 47));
  }
}
