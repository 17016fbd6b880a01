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
    StringBuilder out =
        new StringBuilder(path == null ? 1 : Math.min(path.length(), MAX_LENGTH) + 8);
    fold(path, out);
    return out.toString();
  }

  /**
   * Appends the pattern of {@code path} to {@code out}: what {@link #of} returns, without a new
   * string, so a caller with a reused builder can look the pattern up allocation-free.
   */
  public static void fold(String path, StringBuilder out) {
    if (path == null || path.isEmpty()) {
      out.append(NO_PATH);
      return;
    }
    int base = out.length();
    int start = 0;
    int n = path.length();
    while (start <= n) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? n : slash;
      appendComponent(out, path, start, end);
      if (slash < 0) {
        break;
      }
      out.append('/');
      start = slash + 1;
      if (out.length() - base > MAX_LENGTH) {
        out.setLength(base + MAX_LENGTH);
        out.append("...");
        break;
      }
    }
  }

  private static void appendComponent(StringBuilder out, String s, int start, int end) {
    if (start == end) {
      return;
    }
    if (allDigits(s, start, end)) {
      out.append("{n}");
      return;
    }
    // Curator and ZooKeeper name sequential nodes with a 10-digit counter at the end.
    int seqStart = end;
    while (seqStart > start && isDigit(s.charAt(seqStart - 1))) {
      seqStart--;
    }
    int tailEnd = end;
    String seq = "";
    if (end - seqStart >= 10) {
      tailEnd = seqStart;
      seq = "{seq}";
    } else if (seqStart < end && seqStart > start && isSeparator(s.charAt(seqStart - 1))) {
      tailEnd = seqStart; // key-13, broker_2, shard.7
      seq = "{n}";
    }
    int mark = start;
    int i = start;
    while (i < tailEnd) {
      if (!isHex(s.charAt(i))) {
        i++;
        continue;
      }
      int uuidEnd = uuidAt(s, i, tailEnd);
      if (uuidEnd > 0) {
        out.append(s, mark, i).append("{uuid}");
        i = uuidEnd;
        mark = i;
        continue;
      }
      int hexEnd = hexRunAt(s, i, tailEnd);
      if (hexEnd > 0) {
        out.append(s, mark, i).append("{hex}");
        i = hexEnd;
        mark = i;
        continue;
      }
      // Not an id: skip the rest of this hex run, no id starts inside it.
      while (i < tailEnd && isHex(s.charAt(i))) {
        i++;
      }
    }
    out.append(s, mark, tailEnd).append(seq);
  }

  private static boolean allDigits(String s, int start, int end) {
    for (int i = start; i < end; i++) {
      if (!isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
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

  /** End of an 8-4-4-4-12 UUID starting at {@code i}, or -1. */
  private static int uuidAt(String s, int i, int end) {
    if (i > 0 && isHex(s.charAt(i - 1)) || end - i < 36) {
      return -1;
    }
    for (int k = 0; k < 36; k++) {
      char c = s.charAt(i + k);
      boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
      if (dash ? c != '-' : !isHex(c)) {
        return -1;
      }
    }
    return i + 36;
  }

  /** End of a run of 16 or more hex digits with at least one digit, or -1. */
  private static int hexRunAt(String s, int i, int end) {
    if (i > 0 && isHex(s.charAt(i - 1))) {
      return -1;
    }
    int j = i;
    boolean digit = false;
    while (j < end && isHex(s.charAt(j))) {
      digit |= isDigit(s.charAt(j));
      j++;
    }
    return j - i >= 16 && digit ? j : -1;
  }
}
