package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;

/**
 * Finds the class of a request (opcode and path pattern) from its raw path without allocating: the
 * path is folded into a reused buffer, hashed, and looked up in an open-addressing table whose
 * entries keep their pattern for comparison. Only a class seen for the first time creates a string.
 *
 * <p>A cache of raw paths would be simpler, but real traffic names far more distinct paths than
 * classes (one per znode): such a cache either grows without bound or thrashes. Folding costs one
 * pass over the path, whatever the number of paths.
 *
 * <p>Holds at most {@code capacity} classes; the caller decides what happens past that (the
 * overflow group), and such lookups are not indexed, so hostile cardinality cannot grow the table.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class ClassIndex {
  private final PathPatterns.Folder folded = new PathPatterns.Folder();
  private final int capacity;
  private Op[] ops;
  private int[] hashes;
  private String[] patterns;
  private Stats[] stats;
  private int size;
  private int lastHash;

  ClassIndex(int capacity) {
    this.capacity = capacity;
    int slots = 64;
    while (slots < capacity * 2) {
      slots <<= 1;
    }
    ops = new Op[Math.min(slots, 1024)];
    hashes = new int[ops.length];
    patterns = new String[ops.length];
    stats = new Stats[ops.length];
  }

  /**
   * The stats of the class of {@code op} on {@code path}, or null if it is not indexed yet; then
   * {@link #pattern} is the folded pattern, for {@link #add}.
   */
  Stats find(Op op, String path) {
    int h = folded.fold(path).hash(op.ordinal() * 0x9E3779B1);
    int mask = ops.length - 1;
    for (int i = h & mask; ; i = (i + 1) & mask) {
      Op o = ops[i];
      if (o == null) {
        lastHash = h;
        return null;
      }
      if (o == op && hashes[i] == h && folded.sameAs(patterns[i])) {
        return stats[i];
      }
    }
  }

  /** The pattern the last {@link #find} folded its path into, as a new string. */
  String pattern() {
    return folded.toString();
  }

  /** Indexes the class the last {@link #find} missed, unless the index is full. */
  void add(Op op, String pattern, Stats s) {
    if (size >= capacity) {
      return;
    }
    if ((size + 1) * 2 > ops.length) {
      grow();
    }
    insert(op, lastHash, pattern, s);
    size++;
  }

  private void insert(Op op, int h, String pattern, Stats s) {
    int mask = ops.length - 1;
    int i = h & mask;
    while (ops[i] != null) {
      i = (i + 1) & mask;
    }
    ops[i] = op;
    hashes[i] = h;
    patterns[i] = pattern;
    stats[i] = s;
  }

  private void grow() {
    Op[] oldOps = ops;
    int[] oldHashes = hashes;
    String[] oldPatterns = patterns;
    Stats[] oldStats = stats;
    int n = oldOps.length * 2;
    ops = new Op[n];
    hashes = new int[n];
    patterns = new String[n];
    stats = new Stats[n];
    for (int i = 0; i < oldOps.length; i++) {
      if (oldOps[i] != null) {
        insert(oldOps[i], oldHashes[i], oldPatterns[i], oldStats[i]);
      }
    }
  }
}
