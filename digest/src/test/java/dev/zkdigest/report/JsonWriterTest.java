package dev.zkdigest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** JSON as RFC 8259 spells it, and the writer's promise about when it hands its buffer on. */
class JsonWriterTest {
  @Test
  void writesNumbersStringsAndNestingAsJson() {
    // given
    StringWriter out = new StringWriter();
    JsonWriter w = new JsonWriter(new PrintWriter(out));
    // when
    w.beginObject();
    w.field("min", Long.MIN_VALUE);
    w.field("max", Long.MAX_VALUE);
    w.field("zero", 0);
    w.field("neg", -42);
    w.field("share", 0.25);
    w.field("tiny", 0.0000004);
    w.field("round", 2.0000005);
    w.field("big", 1e13);
    w.field("nan", Double.NaN);
    w.field("yes", true);
    w.field("none", (String) null);
    w.name("esc\"aped").value("a\"b\\c\nd\re\tf\u0001g\u2028h");
    w.name("list").beginArray().value(1).value("x").nullValue().beginObject().endObject();
    w.endArray();
    w.name("raw").rawValue(" {\"q\":1}\n");
    w.endObject();
    // then
    assertThat(out.toString())
        .isEqualTo(
            "{\"min\":-9223372036854775808,\"max\":9223372036854775807,\"zero\":0,\"neg\":-42,"
                + "\"share\":0.250000,\"tiny\":0.000000,\"round\":2.000001,"
                + "\"big\":10000000000000.000000,\"nan\":0.0,\"yes\":true,\"none\":null,"
                + "\"esc\\\"aped\":\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u2028h\","
                + "\"list\":[1,\"x\",null,{}],\"raw\":{\"q\":1}}");
  }

  @Test
  void stringsLongerThanItsBufferAreWrittenWhole() {
    // given: strings past the buffer, plain and with characters to escape near the end
    String plain = "p".repeat(20_000);
    String escaped = "e".repeat(9_000) + "\"";
    StringWriter out = new StringWriter();
    JsonWriter w = new JsonWriter(new PrintWriter(out));
    // when
    w.beginArray().value(plain).value(escaped).value(plain.substring(0, 8189)).endArray();
    // then
    assertThat(out.toString())
        .isEqualTo(
            "[\""
                + plain
                + "\",\""
                + escaped.replace("\"", "\\\"")
                + "\",\""
                + plain.substring(0, 8189)
                + "\"]");
  }

  @Test
  void handsOnEachOutermostValueWhenItEnds() {
    // given: JSON lines, a writer per line and a newline written directly after each object
    StringWriter out = new StringWriter();
    PrintWriter pw = new PrintWriter(out);
    JsonWriter w = new JsonWriter(pw);
    // when
    w.beginObject().field("a", 1);
    String midway = out.toString();
    w.endObject();
    pw.print('\n');
    new JsonWriter(pw).beginObject().field("b", 2).endObject();
    pw.print('\n');
    // then
    assertThat(midway).isEmpty();
    assertThat(out.toString()).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
  }
}
