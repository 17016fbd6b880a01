package dev.zkdigest.digest;

/**
 * 64-bit hashes that are the same in every run, thread and process, unlike {@code hashCode} of some
 * types. They rank the keys of capped tables (see {@link BottomK}): which keys a digest keeps past
 * a cap depends on the keys alone, never on their order of arrival, so digests of several threads
 * or several reports merge into exactly what one digest of everything would hold.
 */
public final class StableHash {
  private StableHash() {}

  /** A bijective mix of 64 bits (MurmurHash3's finaliser): distinct inputs stay distinct. */
  public static long mix(long z) {
    z ^= z >>> 33;
    z *= 0xFF51AFD7ED558CCDL;
    z ^= z >>> 33;
    z *= 0xC4CEB9FE1A85EC53L;
    return z ^ (z >>> 33);
  }

  public static long of(String s) {
    return PathPatterns.hash64(0x5EED, s);
  }

  /** Two hashes combined into the hash of their pair (order matters). */
  public static long pair(long a, long b) {
    return mix(a * 0x9E3779B97F4A7C15L + Long.rotateLeft(b, 31));
  }
}
