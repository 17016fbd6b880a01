package dev.zkdigest.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A table of the HTML report that the page's script sorts when a heading is clicked: numeric cells
 * carry their exact value in {@code data-v} (the text shows "1.2ms" or "3.4k"), so the script never
 * parses what people read. Every cell's text is escaped.
 */
final class SortableTable {
  /**
   * A column; {@code key} names it in the page's {@code #sort=TABLE:KEY} address.
   *
   * @param ascending whether a first click sorts a numeric column smallest first (ranks)
   */
  record Column(String key, String heading, boolean numeric, boolean ascending) {
    static Column text(String key, String heading) {
      return new Column(key, heading, false, true);
    }

    static Column number(String key, String heading) {
      return new Column(key, heading, true, false);
    }

    static Column rank(String key, String heading) {
      return new Column(key, heading, true, true);
    }
  }

  /** A cell: what it shows, and for a numeric column the value it sorts by. */
  record Cell(String text, double value) {
    static Cell text(String text) {
      return new Cell(text, Double.NaN);
    }

    static Cell count(long n) {
      return new Cell(Units.count(n), n);
    }

    static Cell micros(double us) {
      return new Cell(Units.micros(us), us);
    }

    static Cell bytes(long n) {
      return new Cell(Units.bytes(n), n);
    }

    /** Nothing to show ("-"), sorted below every value. */
    static Cell none() {
      return new Cell("-", Double.NaN);
    }
  }

  private final String id;
  private final List<Column> columns;
  private final List<List<Cell>> rows = new ArrayList<>();

  SortableTable(String id, List<Column> columns) {
    this.id = id;
    this.columns = List.copyOf(columns);
  }

  SortableTable row(List<Cell> cells) {
    if (cells.size() != columns.size()) {
      throw new IllegalArgumentException(
          cells.size() + " cells for " + columns.size() + " columns");
    }
    rows.add(List.copyOf(cells));
    return this;
  }

  boolean isEmpty() {
    return rows.isEmpty();
  }

  String html() {
    StringBuilder b = new StringBuilder();
    b.append("<table class=\"sortable\" id=\"").append(Html.escape(id)).append("\">\n<thead><tr>");
    for (Column c : columns) {
      b.append("<th scope=\"col\" data-key=\"")
          .append(Html.escape(c.key()))
          .append('"')
          .append(c.numeric() ? (c.ascending() ? " class=\"num asc\"" : " class=\"num\"") : "")
          .append("><button type=\"button\">")
          .append(Html.escape(c.heading()))
          .append("</button></th>");
    }
    b.append("</tr></thead>\n<tbody>\n");
    for (List<Cell> r : rows) {
      b.append("<tr>");
      for (int i = 0; i < r.size(); i++) {
        Cell cell = r.get(i);
        if (columns.get(i).numeric()) {
          b.append("<td class=\"num\"");
          if (!Double.isNaN(cell.value())) {
            b.append(" data-v=\"").append(sortValue(cell.value())).append('"');
          }
          b.append('>');
        } else {
          b.append("<td>");
        }
        b.append(Html.escape(cell.text())).append("</td>");
      }
      b.append("</tr>\n");
    }
    return b.append("</tbody>\n</table>\n").toString();
  }

  /** A number as JavaScript's {@code Number()} reads it back exactly. */
  private static String sortValue(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
