package dev.zkdigest.report;

/** Name and value pairs of the HTML report, as rows of a {@code dl class="facts"}, escaped. */
final class HtmlFacts {
  private HtmlFacts() {}

  static void fact(StringBuilder b, String name, String value) {
    b.append("<dt>")
        .append(Html.escape(name))
        .append("</dt><dd>")
        .append(Html.escape(value))
        .append("</dd>\n");
  }

  static String plural(long n, String noun) {
    return Units.count(n) + " " + noun + (n == 1 ? "" : "s");
  }
}
