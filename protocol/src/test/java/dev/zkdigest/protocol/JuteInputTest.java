package dev.zkdigest.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JuteInputTest {
  /** A jute ustring as the Java client's BinaryOutputArchive writes it: length, then UTF-8. */
  private static byte[] ustring(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
    int len = s == null ? -1 : b.length;
    out.write(len >>> 24);
    out.write(len >>> 16);
    out.write(len >>> 8);
    out.write(len);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static String readPath(JuteInput in, byte[] record) {
    return in.reset(record, 0, record.length).readPath();
  }

  @Test
  void repeatedPathOfAConnectionIsTheSameStringWithoutMakingAnother() {
    JuteInput in = new JuteInput(new byte[0], 0, 0);
    String first = readPath(in, ustring("/app/config/feature-flags"));
    String again = readPath(in, ustring("/app/config/feature-flags"));
    assertEquals("/app/config/feature-flags", first);
    assertSame(first, again);
  }

  @Test
  void pathsDifferingInOneByteAreNotConfused() {
    JuteInput in = new JuteInput(new byte[0], 0, 0);
    for (int i = 0; i < 1000; i++) {
      String path = "/locks/lock-" + String.format("%010d", i);
      assertEquals(path, readPath(in, ustring(path)));
    }
    String a = readPath(in, ustring("/a/b1"));
    String b = readPath(in, ustring("/a/b2"));
    assertEquals("/a/b1", a);
    assertEquals("/a/b2", b);
    assertNotSame(a, readPath(in, ustring("/a/b2")));
  }

  @Test
  void nonAsciiPathIsDecodedAsUtf8() {
    JuteInput in = new JuteInput(new byte[0], 0, 0);
    assertEquals("/zürich/注文", readPath(in, ustring("/zürich/注文")));
    assertEquals("/zürich/注文", readPath(in, ustring("/zürich/注文")));
  }

  @Test
  void nullAndEmptyPathsAndOneCutShort() {
    JuteInput in = new JuteInput(new byte[0], 0, 0);
    assertNull(readPath(in, ustring(null)));
    assertEquals("", readPath(in, ustring("")));
    byte[] cut = ustring("/cut/short");
    assertThrows(JuteInput.JuteUnderflow.class, () -> in.reset(cut, 0, cut.length - 1).readPath());
  }
}
