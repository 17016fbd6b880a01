package dev.zkdigest.digest;

/**
 * Folds znode paths into classes so that {@code /app/locks/lock-0000000042} and {@code
 * /app/locks/lock-0000000043} count together, as pt-query-digest folds every number:
 *
 * <ul>
 *   <li>a component that is all digits becomes {@code {n}} ({@code /brokers/ids/17});
 *   <li>a run of ten or more digits ending a component becomes {@code {seq}}: ZooKeeper names
 *       sequential nodes with a 10-digit counter ({@code lock-0000000042} to {@code lock-{seq}});
 *   <li>any other run of digits becomes {@code {n}} ({@code x123} to {@code x{n}}, {@code topic-7}
 *       to {@code topic-{n}});
 *   <li>a UUID becomes {@code {uuid}}, a run of 16 or more hex digits with a digit in it {@code
 *       {hex}} (Curator's protected names, session ids).
 * </ul>
 *
 * <p>Patterns are capped at {@value #MAX_LENGTH} characters, then {@code ...}.
 */
public final class PathPatterns {
  /** Ops that name no path get this pattern. */
  public static final String NO_PATH = "-";

  static final int MAX_LENGTH = 256;

  /** A digit run this long at the end of a component is a sequential node's counter. */
  private static final int SEQUENCE_DIGITS = 10;

  /** Shorter runs of hex digits are too common in names to be ids. */
  private static final int HEX_ID_MIN = 16;

  private static final int UUID_LENGTH = 36;

  private PathPatterns() {}

  public static String of(String path) {
    return new Folder().fold(path).toString();
  }

  /**
   * The hash that identifies and ranks the class of {@code pattern} under a tag (an opcode, an
   * event type): the same as {@link Folder#hash64} of a path folded into it. Stable across runs, so
   * that digests of several threads or several reports agree on it.
   */
  public static long hash64(int tag, String pattern) {
    long h = seed(tag);
    int len = pattern.length();
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      h =
          step(
              h,
              pattern.charAt(i)
                  | (long) pattern.charAt(i + 1) << 16
                  | (long) pattern.charAt(i + 2) << 32
                  | (long) pattern.charAt(i + 3) << 48);
    }
    for (; i < len; i++) {
      h = step(h, pattern.charAt(i));
    }
    return StableHash.mix(h ^ len);
  }

  /** The same as {@link #hash64(int, String)} over {@code chars[0..len)}. */
  static long hash64(int tag, char[] chars, int len) {
    // Four characters per multiply: a quarter of the dependent steps of 31 * h + c.
    long h = seed(tag);
    int i = 0;
    for (; i + 4 <= len; i += 4) {
      h =
          step(
              h,
              chars[i]
                  | (long) chars[i + 1] << 16
                  | (long) chars[i + 2] << 32
                  | (long) chars[i + 3] << 48);
    }
    for (; i < len; i++) {
      h = step(h, chars[i]);
    }
    return StableHash.mix(h ^ len);
  }

  private static long seed(int tag) {
    return 0x2545F4914F6CDD1DL ^ tag * 0x9E3779B97F4A7C15L;
  }

  private static long step(long h, long w) {
    return Long.rotateLeft(h ^ w * 0xC2B2AE3D27D4EB4FL, 29) * 0x9E3779B97F4A7C15L;
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

    /** The pattern's {@link PathPatterns#hash64} under {@code tag}. */
    public long hash64(int tag) {
      return PathPatterns.hash64(tag, out, len);
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
      if (n <= 0) {
        return;
      }
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
      int firstNonDigit = start;
      while (firstNonDigit < end && isDigit(in[firstNonDigit])) {
        firstNonDigit++;
      }
      if (firstNonDigit == end) {
        append("{n}");
        return;
      }
      int mark = start;
      int i = start;
      while (i < end) {
        char c = in[i];
        if (!isHex(c)) {
          i++;
          continue;
        }
        int idEnd = uuidAt(i, end);
        String id = "{uuid}";
        if (idEnd < 0) {
          idEnd = hexRunAt(i, end);
          id = "{hex}";
        }
        if (idEnd > 0) {
          append(mark, i);
          append(id);
          i = idEnd;
          mark = i;
          continue;
        }
        // Not an id: no id starts inside this hex run either, but its digits fold.
        while (i < end && isHex(in[i])) {
          if (!isDigit(in[i])) {
            i++;
            continue;
          }
          int digits = i;
          while (i < end && isDigit(in[i])) {
            i++;
          }
          append(mark, digits);
          append(i == end && i - digits >= SEQUENCE_DIGITS ? "{seq}" : "{n}");
          mark = i;
        }
      }
      append(mark, end);
    }

    /** End of an 8-4-4-4-12 UUID starting at {@code i}, or -1. */
    private int uuidAt(int i, int end) {
      if (i > 0 && isHex(in[i - 1]) || end - i < UUID_LENGTH) {
        return -1;
      }
      for (int k = 0; k < UUID_LENGTH; k++) {
        char c = in[i + k];
        boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
        if (dash ? c != '-' : !isHex(c)) {
          return -1;
        }
      }
      return i + UUID_LENGTH;
    }

    /** End of a run of {@link #HEX_ID_MIN} or more hex digits with at least one digit, or -1. */
    private int hexRunAt(int i, int end) {
      if (i > 0 && isHex(in[i - 1])) {
        return -1;
      }
      int j = i;
      boolean digit = false;
      boolean letter = false;
      while (j < end && isHex(in[j])) {
        digit |= isDigit(in[j]);
        letter |= !isDigit(in[j]);
        j++;
      }
      // All digits is a number, folded as one ({n} or {seq}), not an id.
      return j - i >= HEX_ID_MIN && digit && letter ? j : -1;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
