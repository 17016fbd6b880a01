package dev.zkdigest.budget;

import java.util.regex.Pattern;

/**
 * A glob over raw znode paths, as budgets and the JUnit extension take them: {@code *} matches
 * within one path segment, {@code **} across segments, and a whole {@code /**} segment also matches
 * no segment at all (so {@code /app/**} matches {@code /app} and everything below it). Every other
 * character stands for itself.
 */
public final class PathGlob {
  private final String glob;
  private final Pattern regex;

  private PathGlob(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /** Compiles {@code glob}, which starts with {@code /} as every znode path does. */
  public static PathGlob of(String glob) {
    if (glob == null || !glob.startsWith("/")) {
      throw new IllegalArgumentException("a path glob starts with '/': '" + glob + "'");
    }
    if (glob.equals("/")) {
      return new PathGlob(glob, Pattern.compile(Pattern.quote("/")));
    }
    StringBuilder re = new StringBuilder();
    String[] segments = glob.split("/", -1);
    for (int i = 1; i < segments.length; i++) {
      String seg = segments[i];
      if (seg.equals("**")) {
        re.append("(?:/.*)?");
      } else {
        re.append('/').append(segment(seg));
      }
    }
    return new PathGlob(glob, Pattern.compile(re.toString(), Pattern.DOTALL));
  }

  private static String segment(String seg) {
    StringBuilder re = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (int i = 0; i < seg.length(); i++) {
      char c = seg.charAt(i);
      if (c != '*') {
        literal.append(c);
        continue;
      }
      if (literal.length() > 0) {
        re.append(Pattern.quote(literal.toString()));
        literal.setLength(0);
      }
      if (i + 1 < seg.length() && seg.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else {
        re.append("[^/]*");
      }
    }
    if (literal.length() > 0) {
      re.append(Pattern.quote(literal.toString()));
    }
    return re.toString();
  }

  public boolean matches(String path) {
    return regex.matcher(path).matches();
  }

  /** The glob as written. */
  public String glob() {
    return glob;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathGlob g && g.glob.equals(glob);
  }

  @Override
  public int hashCode() {
    return glob.hashCode();
  }

  @Override
  public String toString() {
    return glob;
  }
}
