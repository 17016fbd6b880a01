package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;
import java.util.Arrays;

/**
 * Requests per (class, client) pair, for the top clients of each class: exact for the {@code
 * capacity} pairs of smallest hash ({@link BottomK}), so tables of several threads or reports merge
 * exactly. A pair is named by its class's hash (the class itself may be folded into {@code {other}}
 * by then) and its client's address. Counting a request is one probe and no allocation.
 *
 * <p>Memory: about 70 bytes per pair kept.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class PairTable {
  private final BottomK ids;
  private Op[] ops = new Op[64];
  private long[] classHashes = new long[64];
  private String[] clients = new String[64];
  private long[] counts = new long[64];

  PairTable(int capacity) {
    ids = new BottomK(capacity);
  }

  void add(Op op, long classHash, String client, long clientHash, long n) {
    long key = StableHash.pair(classHash, clientHash);
    int id = ids.find(key);
    if (id < 0) {
      id = ids.add(key);
      if (id < 0) {
        return;
      }
      if (ids.evicted() < 0 && id == ops.length) {
        int size = Math.min(ids.capacity(), id * 2);
        ops = Arrays.copyOf(ops, size);
        classHashes = Arrays.copyOf(classHashes, size);
        clients = Arrays.copyOf(clients, size);
        counts = Arrays.copyOf(counts, size);
      }
      ops[id] = op;
      classHashes[id] = classHash;
      clients[id] = client;
      counts[id] = 0;
    }
    counts[id] += n;
  }

  void forEach(PairConsumer action) {
    ids.forEach((key, id) -> action.accept(ops[id], classHashes[id], clients[id], counts[id]));
  }

  interface PairConsumer {
    void accept(Op op, long classHash, String client, long count);
  }
}
