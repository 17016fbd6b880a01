package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;
import java.util.Arrays;

/**
 * The classes of a digest (an opcode and the pattern its path folds into) with their stats, found
 * from a raw path without allocating: the path is folded into a reused buffer and hashed, and the
 * hash looks the class up. Only a class seen for the first time makes a string.
 *
 * <p>A cache of raw paths would be simpler, but real traffic names far more distinct paths than
 * classes (one per znode): such a cache either grows without bound or thrashes. Folding costs one
 * pass over the path, whatever the number of paths.
 *
 * <p>At most {@code capacity} classes are kept, those of smallest hash ({@link BottomK}); the
 * requests of any other class count under {@code {other}} of their own opcode, so overflow never
 * changes an op's counts.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class ClassTable {
  /** Classes past this many ids get a packed histogram (smaller, slower to record into). */
  private static final int FINE_CLASSES = 512;

  private final PathPatterns.Folder folder = new PathPatterns.Folder();
  private final BottomK ids;
  private Op[] ops = new Op[64];
  private String[] patterns = new String[64];
  private Stats[] stats = new Stats[64];
  private final Stats[] other = new Stats[Op.COUNT];
  private long lastHash;

  ClassTable(int capacity) {
    ids = new BottomK(capacity);
  }

  /** The stats of the class of {@code op} on {@code path}; sets {@link #lastHash}. */
  Stats find(Op op, String path) {
    long h = folder.fold(path).hash64(op.code());
    lastHash = h;
    int id = ids.find(h);
    if (id >= 0) {
      // A different class of the same 64-bit hash is vanishingly rare; it counts as other.
      return ops[id] == op && folder.sameAs(patterns[id]) ? stats[id] : other(op);
    }
    id = ids.add(h);
    if (id < 0) {
      return other(op);
    }
    if (ids.evicted() >= 0) {
      Stats gone = stats[id];
      Stats into = other(ops[id]);
      into.absorb(gone);
      gone.evictedTo = into;
    } else if (id == ops.length) {
      int n = Math.min(ids.capacity(), id * 2);
      ops = Arrays.copyOf(ops, n);
      patterns = Arrays.copyOf(patterns, n);
      stats = Arrays.copyOf(stats, n);
    }
    ops[id] = op;
    patterns[id] = folder.toString();
    stats[id] = new Stats(id < FINE_CLASSES ? Latency.fine() : Latency.packed());
    return stats[id];
  }

  /** The hash of the class the last {@link #find} looked up, kept or not. */
  long lastHash() {
    return lastHash;
  }

  Stats other(Op op) {
    Stats s = other[op.ordinal()];
    if (s == null) {
      // A few of these take every request past the cap: the cheapest to record into.
      s = new Stats(Latency.fine());
      other[op.ordinal()] = s;
    }
    return s;
  }

  /** Calls {@code action} with each kept class and each op's {@code {other}}. */
  void forEach(ClassConsumer action) {
    ids.forEach((hash, id) -> action.accept(ops[id], patterns[id], hash, stats[id]));
    for (Op op : Op.values()) {
      Stats s = other[op.ordinal()];
      if (s != null) {
        action.accept(op, Digest.OTHER, 0, s);
      }
    }
  }

  interface ClassConsumer {
    void accept(Op op, String pattern, long hash, Stats stats);
  }
}
