package dev.zkdigest.digest;

/**
 * Folds znode paths into classes so that {@code /app/locks/lock-0000000042} and {@code
 * /app/locks/lock-0000000043} count together: numbers (whole components, or after a {@code -},
 * {@code _} or {@code .}) become {@code {n}}, sequential-node suffixes {@code {seq}}, UUIDs {@code
 * {uuid}} and long hex ids {@code {hex}}.
 */
public final class PathPatterns {
  /** Ops that name no path get this pattern. */
  public static final String NO_PATH = "-";

  private static final int MAX_LENGTH = 256;

  private PathPatterns() {}

  public static String of(String path) {
    return new Folder().fold(path).toString();
  }

  /**
   * Folds paths into a reused buffer, so a caller can hash and compare a pattern without making a
   * string of it: every request of a digest goes through here.
   *
   * <p>Threading: not thread-safe; one per owner.
   */
  public static final class Folder {
    private char[] in = new char[64];
    private char[] out = new char[MAX_LENGTH + 16];
    private int len;

    /** Folds {@code path}; the pattern stays in this folder until the next call. */
    public Folder fold(String path) {
      len = 0;
      if (path == null || path.isEmpty()) {
        append(NO_PATH);
        return this;
      }
      int n = path.length();
      if (in.length < n) {
        in = new char[Math.max(n, in.length * 2)];
      }
      path.getChars(0, n, in, 0);
      int start = 0;
      while (start <= n) {
        int slash = start;
        while (slash < n && in[slash] != '/') {
          slash++;
        }
        component(start, slash);
        if (len > MAX_LENGTH) {
          // Checked after every component, the last too: a pattern is kept per class.
          len = MAX_LENGTH;
          append("...");
          break;
        }
        if (slash == n) {
          break;
        }
        append('/');
        start = slash + 1;
      }
      return this;
    }

    /** A hash of the pattern, mixed with {@code seed}. */
    public int hash(int seed) {
      // Four characters per multiply: a quarter of the dependent steps of 31 * h + c.
      long h = seed;
      int i = 0;
      for (; i + 4 <= len; i += 4) {
        long w =
            out[i] | (long) out[i + 1] << 16 | (long) out[i + 2] << 32 | (long) out[i + 3] << 48;
        h = (h ^ w) * 0x9E3779B97F4A7C15L;
      }
      for (; i < len; i++) {
        h = (h ^ out[i]) * 0xC2B2AE3D27D4EB4FL;
      }
      return (int) (h ^ (h >>> 32));
    }

    /** Whether the folded pattern is {@code pattern}. */
    public boolean sameAs(String pattern) {
      if (pattern.length() != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (pattern.charAt(i) != out[i]) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return new String(out, 0, len);
    }

    private void append(char c) {
      if (len == out.length) {
        out = java.util.Arrays.copyOf(out, out.length * 2);
      }
      out[len++] = c;
    }

    private void append(String s) {
      for (int i = 0; i < s.length(); i++) {
        append(s.charAt(i));
      }
    }

    private void append(int from, int to) {
      int n = to - from;
      if (len + n > out.length) {
        out = java.util.Arrays.copyOf(out, Math.max(len + n, out.length * 2));
      }
      System.arraycopy(in, from, out, len, n);
      len += n;
    }

    private void component(int start, int end) {
      if (start == end) {
        return;
      }
      int seqStart = end;
      while (seqStart > start && isDigit(in[seqStart - 1])) {
        seqStart--;
      }
      if (seqStart == start) {
        append("{n}");
        return;
      }
      // Curator and ZooKeeper name sequential nodes with a 10-digit counter at the end.
      int tailEnd = end;
      String seq = "";
      if (end - seqStart >= 10) {
        tailEnd = seqStart;
        seq = "{seq}";
      } else if (seqStart < end && isSeparator(in[seqStart - 1])) {
        tailEnd = seqStart; // key-13, broker_2, shard.7
        seq = "{n}";
      }
      if (tailEnd - start < 16) {
        // Too short for a UUID or a long hex id: the common case, copied as is.
        append(start, tailEnd);
        append(seq);
        return;
      }
      int mark = start;
      int i = start;
      while (i < tailEnd) {
        if (!isHex(in[i])) {
          i++;
          continue;
        }
        int uuidEnd = uuidAt(i, tailEnd);
        if (uuidEnd > 0) {
          append(mark, i);
          append("{uuid}");
          i = uuidEnd;
          mark = i;
          continue;
        }
        int hexEnd = hexRunAt(i, tailEnd);
        if (hexEnd > 0) {
          append(mark, i);
          append("{hex}");
          i = hexEnd;
          mark = i;
          continue;
        }
        // Not an id: skip the rest of this hex run, no id starts inside it.
        while (i < tailEnd && isHex(in[i])) {
          i++;
        }
      }
      append(mark, tailEnd);
      append(seq);
    }

    /** End of an 8-4-4-4-12 UUID starting at {@code i}, or -1. */
    private int uuidAt(int i, int end) {
      if (i > 0 && isHex(in[i - 1]) || end - i < 36) {
        return -1;
      }
      for (int k = 0; k < 36; k++) {
        char c = in[i + k];
        boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
        if (dash ? c != '-' : !isHex(c)) {
          return -1;
        }
      }
      return i + 36;
    }

    /** End of a run of 16 or more hex digits with at least one digit, or -1. */
    private int hexRunAt(int i, int end) {
      if (i > 0 && isHex(in[i - 1])) {
        return -1;
      }
      int j = i;
      boolean digit = false;
      while (j < end && isHex(in[j])) {
        digit |= isDigit(in[j]);
        j++;
      }
      return j - i >= 16 && digit ? j : -1;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_' || c == '.';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
