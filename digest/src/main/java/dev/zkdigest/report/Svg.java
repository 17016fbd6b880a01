package dev.zkdigest.report;

import java.util.Locale;

/**
 * A small SVG document built as text for the HTML report's charts: rectangles, lines and labels,
 * each shape styled by a CSS class of the page (no style attributes, which the page's content
 * security policy would refuse). Every text goes through {@link Html#escape}.
 */
final class Svg {
  private final StringBuilder b = new StringBuilder();

  /** An SVG of the given size that scales down with the page; {@code label} names it for people. */
  Svg(int width, int height, String cssClass, String label) {
    b.append("<svg class=\"")
        .append(Html.escape(cssClass))
        .append("\" viewBox=\"0 0 ")
        .append(width)
        .append(' ')
        .append(height)
        .append("\" width=\"")
        .append(width)
        .append("\" height=\"")
        .append(height)
        .append("\" role=\"img\" aria-label=\"")
        .append(Html.escape(label))
        .append("\">\n");
  }

  /** A rectangle with a tooltip; nothing when it would have no area. */
  Svg rect(double x, double y, double w, double h, String cssClass, String tooltip) {
    if (w <= 0 || h <= 0) {
      return this;
    }
    b.append("<rect class=\"")
        .append(cssClass)
        .append("\" x=\"")
        .append(num(x))
        .append("\" y=\"")
        .append(num(y))
        .append("\" width=\"")
        .append(num(w))
        .append("\" height=\"")
        .append(num(h))
        .append('"');
    return titled(tooltip, "rect");
  }

  Svg line(double x1, double y1, double x2, double y2, String cssClass) {
    b.append("<line class=\"")
        .append(cssClass)
        .append("\" x1=\"")
        .append(num(x1))
        .append("\" y1=\"")
        .append(num(y1))
        .append("\" x2=\"")
        .append(num(x2))
        .append("\" y2=\"")
        .append(num(y2))
        .append("\"/>\n");
    return this;
  }

  Svg circle(double cx, double cy, double r, String cssClass, String tooltip) {
    b.append("<circle class=\"")
        .append(cssClass)
        .append("\" cx=\"")
        .append(num(cx))
        .append("\" cy=\"")
        .append(num(cy))
        .append("\" r=\"")
        .append(num(r))
        .append('"');
    return titled(tooltip, "circle");
  }

  /** A polyline through {@code xy} (x0, y0, x1, y1, ...); nothing with fewer than two points. */
  Svg polyline(double[] xy, String cssClass) {
    if (xy.length < 4) {
      return this;
    }
    b.append("<polyline class=\"").append(cssClass).append("\" points=\"");
    for (int i = 0; i < xy.length; i += 2) {
      b.append(i == 0 ? "" : " ").append(num(xy[i])).append(',').append(num(xy[i + 1]));
    }
    b.append("\"/>\n");
    return this;
  }

  /** A label; {@code anchor} is start, middle or end. */
  Svg text(double x, double y, String anchor, String cssClass, String text) {
    b.append("<text class=\"")
        .append(cssClass)
        .append("\" x=\"")
        .append(num(x))
        .append("\" y=\"")
        .append(num(y))
        .append("\" text-anchor=\"")
        .append(anchor)
        .append("\">")
        .append(Html.escape(text))
        .append("</text>\n");
    return this;
  }

  /** The finished element. */
  String end() {
    return b + "</svg>\n";
  }

  private Svg titled(String tooltip, String tag) {
    if (tooltip == null) {
      b.append("/>\n");
    } else {
      b.append("><title>")
          .append(Html.escape(tooltip))
          .append("</title></")
          .append(tag)
          .append(">\n");
    }
    return this;
  }

  /** Coordinates to a tenth of a pixel: enough on screen, and stable text for golden files. */
  static String num(double v) {
    String s = String.format(Locale.ROOT, "%.1f", v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }
}
