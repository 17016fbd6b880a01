package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;
import java.util.Arrays;

/**
 * Counts per raw path and opcode (not folded: {@code /app/locks/lock-0000000042} itself), for what
 * needs the znodes themselves: the hottest znodes, and budgets and test assertions over path globs.
 * At most {@code capacity} (op, path) pairs are kept, those of smallest hash ({@link BottomK}); the
 * rest count under {@code {other}} of their op. The path strings are the decoder's own, kept by
 * reference: nothing is allocated per request.
 *
 * <p>Memory: about 100 bytes per kept path plus the path itself.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class PathTable {
  /** requests, errors, request bytes, response bytes, BADVERSION errors. */
  static final int FIELDS = 5;

  static final int REQUESTS = 0;
  static final int ERRORS = 1;
  static final int REQUEST_BYTES = 2;
  static final int RESPONSE_BYTES = 3;
  static final int BAD_VERSIONS = 4;

  private final BottomK ids;
  private Op[] ops = new Op[64];
  private String[] paths = new String[64];
  private long[] counts = new long[64 * FIELDS];
  private final long[][] other = new long[Op.COUNT][];

  PathTable(int capacity) {
    ids = new BottomK(capacity);
  }

  /** The (op, path) pair's hash: its identity and its rank under the cap. */
  static long hash(Op op, String path) {
    return PathPatterns.hash64(op.code() ^ 0x7A7A0000, path);
  }

  /** Where the counts of (op, path) go: an offset into {@link #counts}, or -1 - op for other. */
  int slot(Op op, String path, long hash) {
    int id = ids.find(hash);
    if (id >= 0) {
      return ops[id] == op && path.equals(paths[id]) ? id * FIELDS : -1 - op.ordinal();
    }
    id = ids.add(hash);
    if (id < 0) {
      return -1 - op.ordinal();
    }
    if (ids.evicted() >= 0) {
      long[] into = otherOf(ops[id]);
      for (int f = 0; f < FIELDS; f++) {
        into[f] += counts[id * FIELDS + f];
      }
    } else if (id == ops.length) {
      int n = Math.min(ids.capacity(), id * 2);
      ops = Arrays.copyOf(ops, n);
      paths = Arrays.copyOf(paths, n);
      counts = Arrays.copyOf(counts, n * FIELDS);
    }
    ops[id] = op;
    paths[id] = path;
    Arrays.fill(counts, id * FIELDS, id * FIELDS + FIELDS, 0);
    return id * FIELDS;
  }

  /** Adds {@code n} to field {@code f} of the slot {@link #slot} gave. */
  void add(int slot, int f, long n) {
    if (slot >= 0) {
      counts[slot + f] += n;
    } else {
      otherOf(Op.ofOrdinal(-1 - slot))[f] += n;
    }
  }

  private long[] otherOf(Op op) {
    long[] o = other[op.ordinal()];
    if (o == null) {
      o = new long[FIELDS];
      other[op.ordinal()] = o;
    }
    return o;
  }

  void forEach(PathConsumer action) {
    ids.forEach(
        (hash, id) ->
            action.accept(
                ops[id],
                paths[id],
                counts[id * FIELDS + REQUESTS],
                counts[id * FIELDS + ERRORS],
                counts[id * FIELDS + REQUEST_BYTES],
                counts[id * FIELDS + RESPONSE_BYTES],
                counts[id * FIELDS + BAD_VERSIONS]));
    for (Op op : Op.values()) {
      long[] o = other[op.ordinal()];
      if (o != null) {
        action.accept(
            op,
            Digest.OTHER,
            o[REQUESTS],
            o[ERRORS],
            o[REQUEST_BYTES],
            o[RESPONSE_BYTES],
            o[BAD_VERSIONS]);
      }
    }
  }

  interface PathConsumer {
    void accept(
        Op op,
        String path,
        long requests,
        long errors,
        long requestBytes,
        long responseBytes,
        long badVersions);
  }
}
