package dev.zkdigest.report;

/**
 * HTML escaping for the HTML report. Paths, client addresses and everything else decoded from the
 * wire are user data: they go into the page only through {@link #escape}, in text and in quoted
 * attribute values alike, never into the page's script.
 */
public final class Html {
  private Html() {}

  /**
   * {@code s} safe as element text and as a double- or single-quoted attribute value: the five
   * characters HTML gives a meaning to become character references, control characters other than
   * tab and newline (which a capture can carry in a path) and unpaired surrogates become U+FFFD,
   * and everything past ASCII a numeric reference, so the page is ASCII whatever the output's
   * encoding.
   */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int next = i + Character.charCount(c);
      String rep =
          switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> plain(c) ? null : reference(c);
          };
      if (rep != null && b == null) {
        b = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (b != null) {
        if (rep != null) {
          b.append(rep);
        } else {
          b.appendCodePoint(c);
        }
      }
      i = next;
    }
    return b == null ? s : b.toString();
  }

  private static boolean plain(int c) {
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n';
  }

  private static String reference(int c) {
    boolean unusable =
        c < 0x20 || (c >= 0x7f && c <= 0x9f) || Character.getType(c) == Character.SURROGATE;
    return "&#x"
        + Integer.toHexString(unusable ? 0xFFFD : c).toUpperCase(java.util.Locale.ROOT)
        + ";";
  }
}
