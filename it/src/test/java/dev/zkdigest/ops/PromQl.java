package dev.zkdigest.ops;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, found without a PromQL parser: label matchers,
 * range selectors, grouping clauses, template variables and strings are removed first, and what is
 * left that is an identifier but not a function call or keyword is a metric name.
 */
final class PromQl {
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern STRINGS = Pattern.compile("\"[^\"]*\"");
  private static final Pattern VARIABLES = Pattern.compile("\\$\\{?\\w+}?");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of("and", "or", "unless", "bool", "offset", "inf", "nan", "by", "without");

  private PromQl() {}

  static Set<String> metricNames(String expr) {
    String s = STRINGS.matcher(expr).replaceAll(" ");
    s = LABEL_MATCHERS.matcher(s).replaceAll(" ");
    s = RANGES.matcher(s).replaceAll(" ");
    s = GROUPING.matcher(s).replaceAll(" ");
    s = VARIABLES.matcher(s).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(s);
    while (m.find()) {
      String id = m.group();
      if (m.start() > 0 && Character.isDigit(s.charAt(m.start() - 1))) {
        continue; // the "m" of 5m, the "e" of 1e3
      }
      if (KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT)) || calledAt(s, m.end())) {
        continue;
      }
      names.add(id);
    }
    return names;
  }

  private static boolean calledAt(String s, int end) {
    int i = end;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    return i < s.length() && s.charAt(i) == '(';
  }
}
