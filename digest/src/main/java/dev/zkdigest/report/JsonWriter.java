package dev.zkdigest.report;

import java.io.PrintWriter;
import java.util.Locale;

/** A minimal streaming JSON writer: commas and escaping handled, nesting tracked by the caller. */
public final class JsonWriter {
  private final PrintWriter out;
  private boolean needComma;

  public JsonWriter(PrintWriter out) {
    this.out = out;
  }

  public JsonWriter beginObject() {
    comma();
    out.print('{');
    needComma = false;
    return this;
  }

  public JsonWriter endObject() {
    out.print('}');
    needComma = true;
    return this;
  }

  public JsonWriter beginArray() {
    comma();
    out.print('[');
    needComma = false;
    return this;
  }

  public JsonWriter endArray() {
    out.print(']');
    needComma = true;
    return this;
  }

  public JsonWriter name(String name) {
    comma();
    string(name);
    out.print(':');
    needComma = false;
    return this;
  }

  public JsonWriter value(String v) {
    comma();
    if (v == null) {
      out.print("null");
    } else {
      string(v);
    }
    needComma = true;
    return this;
  }

  public JsonWriter value(long v) {
    comma();
    out.print(v);
    needComma = true;
    return this;
  }

  public JsonWriter value(double v) {
    comma();
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      out.print("0.0");
    } else if (v >= 0 && v < 1e12) {
      // "%.6f" without Formatter, which took a third of rendering a report of 100,000 classes.
      long micro = Math.round(v * 1_000_000d);
      long whole = micro / 1_000_000;
      String frac = Long.toString(micro % 1_000_000);
      out.print(whole);
      out.print('.');
      for (int i = frac.length(); i < 6; i++) {
        out.print('0');
      }
      out.print(frac);
    } else {
      out.print(String.format(Locale.ROOT, "%.6f", v));
    }
    needComma = true;
    return this;
  }

  public JsonWriter nullValue() {
    comma();
    out.print("null");
    needComma = true;
    return this;
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
    out.print(json.strip());
    needComma = true;
    return this;
  }

  public JsonWriter value(boolean v) {
    comma();
    out.print(v);
    needComma = true;
    return this;
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

  private void comma() {
    if (needComma) {
      out.print(',');
    }
  }

  /** Whether {@code s} needs no escaping. */
  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x2028 || c == 0x2029) {
        return false;
      }
    }
    return true;
  }

  private void string(String s) {
    out.print('"');
    if (plain(s)) {
      // Nearly every name and value: written whole, not a character at a time.
      out.print(s);
      out.print('"');
      return;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.print("\\\"");
        case '\\' -> out.print("\\\\");
        case '\n' -> out.print("\\n");
        case '\r' -> out.print("\\r");
        case '\t' -> out.print("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.printf(Locale.ROOT, "\\u%04x", (int) c);
          } else {
            out.print(c);
          }
        }
      }
    }
    out.print('"');
  }
}
