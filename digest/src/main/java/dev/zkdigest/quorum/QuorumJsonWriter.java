package dev.zkdigest.quorum;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A minimal streaming JSON writer for the quorum section: commas and escaping handled, nesting
 * tracked by the caller. (The report package's writer is package-private; this section is rendered
 * on its own so the main report can embed it.)
 */
final class QuorumJsonWriter {
  private final PrintWriter out;
  private boolean needComma;

  QuorumJsonWriter(PrintWriter out) {
    this.out = out;
  }

  QuorumJsonWriter beginObject() {
    comma();
    out.print('{');
    needComma = false;
    return this;
  }

  QuorumJsonWriter endObject() {
    out.print('}');
    needComma = true;
    return this;
  }

  QuorumJsonWriter beginArray() {
    comma();
    out.print('[');
    needComma = false;
    return this;
  }

  QuorumJsonWriter endArray() {
    out.print(']');
    needComma = true;
    return this;
  }

  QuorumJsonWriter name(String name) {
    comma();
    string(name);
    out.print(':');
    needComma = false;
    return this;
  }

  QuorumJsonWriter value(String v) {
    comma();
    if (v == null) {
      out.print("null");
    } else {
      string(v);
    }
    needComma = true;
    return this;
  }

  QuorumJsonWriter value(long v) {
    comma();
    out.print(v);
    needComma = true;
    return this;
  }

  QuorumJsonWriter value(boolean v) {
    comma();
    out.print(v);
    needComma = true;
    return this;
  }

  QuorumJsonWriter value(double v) {
    comma();
    out.print(Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "0.0");
    needComma = true;
    return this;
  }

  QuorumJsonWriter nullValue() {
    comma();
    out.print("null");
    needComma = true;
    return this;
  }

  /** A number, or null when {@code v} is negative (unknown). */
  QuorumJsonWriter valueOrNull(long v) {
    return v < 0 ? nullValue() : value(v);
  }

  QuorumJsonWriter field(String name, String v) {
    return name(name).value(v);
  }

  QuorumJsonWriter field(String name, long v) {
    return name(name).value(v);
  }

  QuorumJsonWriter field(String name, double v) {
    return name(name).value(v);
  }

  QuorumJsonWriter field(String name, boolean v) {
    return name(name).value(v);
  }

  QuorumJsonWriter fieldOrNull(String name, long v) {
    return name(name).valueOrNull(v);
  }

  private void comma() {
    if (needComma) {
      out.print(',');
    }
  }

  private void string(String s) {
    out.print('"');
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
