package dev.zkdigest.report;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A minimal streaming JSON writer: commas and escaping handled, nesting tracked by the caller.
 *
 * <p>It writes into a buffer of its own and hands it to the {@link PrintWriter} when full and each
 * time the outermost value is complete, so a caller may write to that writer between top-level
 * values (a newline after each, say) but not inside one. A report of 100,000 classes makes tens of
 * millions of small writes; through {@code PrintWriter.print}, each took its lock and numbers made
 * a string each.
 */
public final class JsonWriter {
  private static final int BUFFER_CHARS = 8192;

  /** Room for any long: 19 digits and a sign. */
  private static final int LONG_CHARS = 20;

  private static final double MICRO = 1_000_000d;

  /** Doubles below this are written by {@link #value(double)}'s own digits, not by a Formatter. */
  private static final double FAST_DOUBLE_LIMIT = 1e12;

  private final PrintWriter out;
  private final char[] buf = new char[BUFFER_CHARS];
  private int pos;
  private int depth;
  private boolean needComma;

  public JsonWriter(PrintWriter out) {
    this.out = out;
  }

  public JsonWriter beginObject() {
    comma();
    put('{');
    depth++;
    needComma = false;
    return this;
  }

  public JsonWriter endObject() {
    put('}');
    depth--;
    return ended();
  }

  public JsonWriter beginArray() {
    comma();
    put('[');
    depth++;
    needComma = false;
    return this;
  }

  public JsonWriter endArray() {
    put(']');
    depth--;
    return ended();
  }

  public JsonWriter name(String name) {
    comma();
    string(name);
    put(':');
    needComma = false;
    return this;
  }

  public JsonWriter value(String v) {
    comma();
    if (v == null) {
      put("null");
    } else {
      string(v);
    }
    return ended();
  }

  public JsonWriter value(long v) {
    comma();
    putLong(v);
    return ended();
  }

  public JsonWriter value(double v) {
    comma();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      put("0.0");
    } else if (v >= 0 && v < FAST_DOUBLE_LIMIT) {
      // "%.6f" without Formatter, which took a third of rendering a report of 100,000 classes.
      long micro = Math.round(v * MICRO);
      long whole = micro / 1_000_000;
      long frac = micro % 1_000_000;
      putLong(whole);
      put('.');
      for (long digit = 100_000; digit > frac && digit > 1; digit /= 10) {
        put('0');
      }
      putLong(frac);
    } else {
      put(String.format(Locale.ROOT, "%.6f", v));
    }
    return ended();
  }

  public JsonWriter nullValue() {
    comma();
    put("null");
    return ended();
  }

  /** A number, or null when {@code v} is negative (unknown). */
  public JsonWriter valueOrNull(long v) {
    return v < 0 ? nullValue() : value(v);
  }

  public JsonWriter fieldOrNull(String name, long v) {
    return name(name).valueOrNull(v);
  }

  /** A complete JSON value written elsewhere, as it is. */
  public JsonWriter rawValue(String json) {
    comma();
    put(json.strip());
    return ended();
  }

  public JsonWriter value(boolean v) {
    comma();
    put(v ? "true" : "false");
    return ended();
  }

  public JsonWriter field(String name, boolean v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, String v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, long v) {
    return name(name).value(v);
  }

  public JsonWriter field(String name, double v) {
    return name(name).value(v);
  }

  /** Hands what is buffered to the writer (done by itself when the outermost value ends). */
  public void flush() {
    if (pos > 0) {
      out.write(buf, 0, pos);
      pos = 0;
    }
  }

  /** After a value: a comma before the next, and the buffer out once the outermost one is done. */
  private JsonWriter ended() {
    needComma = true;
    if (depth <= 0) {
      flush();
    }
    return this;
  }

  private void comma() {
    if (needComma) {
      put(',');
    }
  }

  private void put(char c) {
    if (pos == buf.length) {
      flush();
    }
    buf[pos++] = c;
  }

  private void put(String s) {
    int len = s.length();
    if (len > buf.length - pos) {
      flush();
      if (len > buf.length) {
        out.write(s);
        return;
      }
    }
    s.getChars(0, len, buf, pos);
    pos += len;
  }

  private void putLong(long v) {
    if (v == Long.MIN_VALUE) {
      put(Long.toString(v));
      return;
    }
    if (buf.length - pos < LONG_CHARS) {
      flush();
    }
    if (v < 0) {
      buf[pos++] = '-';
      v = -v;
    }
    int digits = 1;
    for (long rest = v / 10; rest != 0; rest /= 10) {
      digits++;
    }
    int at = pos + digits;
    pos = at;
    do {
      buf[--at] = (char) ('0' + v % 10);
      v /= 10;
    } while (v != 0);
  }

  private static boolean needsEscape(char c) {
    return c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029;
  }

  private void string(String s) {
    int len = s.length();
    if (len + 2 <= buf.length - pos || (len + 2 <= buf.length && flushed())) {
      // Nearly every name and value: copied whole, then checked where it landed.
      int start = pos + 1;
      buf[pos] = '"';
      s.getChars(0, len, buf, start);
      int end = start + len;
      int i = start;
      while (i < end && !needsEscape(buf[i])) {
        i++;
      }
      if (i == end) {
        buf[end] = '"';
        pos = end + 1;
        return;
      }
    }
    put('"');
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> put("\\\"");
        case '\\' -> put("\\\\");
        case '\n' -> put("\\n");
        case '\r' -> put("\\r");
        case '\t' -> put("\\t");
        default -> {
          if (needsEscape(c)) {
            put(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            put(c);
          }
        }
      }
    }
    put('"');
  }

  /** Empties the buffer; true, to be used in a condition. */
  private boolean flushed() {
    flush();
    return true;
  }
}
