package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;

/**
 * The class and hashes of recently seen (op, raw path) pairs, direct-mapped by the path's own hash,
 * so that a path asked for again skips folding, hashing and the class table's lookup. The decoder
 * hands the same String for a path a connection repeats ({@code JuteInput.readPath}), whose hash
 * the String keeps: a hit costs an array read and an identity compare.
 *
 * <p>Bounded whatever the input ({@link #SLOTS} entries); a path that loses its slot is folded
 * again, as it would be without the cache. What an entry keeps never goes stale: a class's hash and
 * a path's hash depend on the bytes alone, and a class's {@link Stats} that the table evicts
 * forwards to where its counts went ({@link Stats#live}).
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class PathClassCache {
  /** Entries: a power of two. 1,024 covers the paths a busy application polls, in ~40 KB. */
  static final int SLOTS = 1024;

  private final Op[] ops = new Op[SLOTS];
  private final String[] paths = new String[SLOTS];
  private final Stats[] stats = new Stats[SLOTS];
  private final long[] classHashes = new long[SLOTS];
  private final long[] rawHashes = new long[SLOTS];

  private final ClassTable classes;

  PathClassCache(ClassTable classes) {
    this.classes = classes;
  }

  /** The slot holding (op, path), filled from the class table when it held another pair. */
  int slot(Op op, String path) {
    int h = path == null ? 0 : path.hashCode();
    h = (h ^ (h >>> 16)) * 31 + op.ordinal();
    int slot = (h ^ (h >>> 10)) & (SLOTS - 1);
    String kept = paths[slot];
    if (ops[slot] != op || (kept != path && (kept == null || !kept.equals(path)))) {
      fill(slot, op, path);
    }
    return slot;
  }

  /** A miss: folds the path. Its own method, so that the hits compile small. */
  private void fill(int slot, Op op, String path) {
    ops[slot] = op;
    paths[slot] = path;
    stats[slot] = classes.find(op, path);
    classHashes[slot] = classes.lastHash();
    rawHashes[slot] = path == null ? 0 : PathTable.hash(op, path);
  }

  /** The stats the slot's class counts into now. */
  Stats stats(int slot) {
    Stats s = stats[slot].live();
    stats[slot] = s;
    return s;
  }

  long classHash(int slot) {
    return classHashes[slot];
  }

  /** The (op, raw path) hash of the path table; 0 without a path. */
  long rawHash(int slot) {
    return rawHashes[slot];
  }
}
