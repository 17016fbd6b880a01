package dev.zkdigest.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Writes jute records for tests, the way ZooKeeper's BinaryOutputArchive does. */
public final class JuteOut {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final DataOutputStream out = new DataOutputStream(bytes);

  public static JuteOut create() {
    return new JuteOut();
  }

  public JuteOut i32(int v) {
    try {
      out.writeInt(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public JuteOut i64(long v) {
    try {
      out.writeLong(v);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  public JuteOut bool(boolean v) {
    bytes.write(v ? 1 : 0);
    return this;
  }

  public JuteOut str(String s) {
    if (s == null) {
      return i32(-1);
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    i32(b.length);
    bytes.writeBytes(b);
    return this;
  }

  public JuteOut buf(byte[] b) {
    if (b == null) {
      return i32(-1);
    }
    i32(b.length);
    bytes.writeBytes(b);
    return this;
  }

  public JuteOut raw(byte[] b) {
    bytes.writeBytes(b);
    return this;
  }

  public JuteOut stat() {
    for (int i = 0; i < 4; i++) {
      i64(i);
    }
    i32(1).i32(2).i32(3).i64(0).i32(4).i32(5).i64(6);
    return this;
  }

  public JuteOut acls(int n) {
    i32(n);
    for (int i = 0; i < n; i++) {
      i32(31).str("world").str("anyone");
    }
    return this;
  }

  public byte[] body() {
    return bytes.toByteArray();
  }

  /** The body with its 4-byte length prefix, as on the wire. */
  public byte[] frame() {
    byte[] b = body();
    byte[] f = new byte[b.length + 4];
    f[0] = (byte) (b.length >>> 24);
    f[1] = (byte) (b.length >>> 16);
    f[2] = (byte) (b.length >>> 8);
    f[3] = (byte) b.length;
    System.arraycopy(b, 0, f, 4, b.length);
    return f;
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      o.writeBytes(p);
    }
    return o.toByteArray();
  }

  // ---- common records ----

  public static byte[] connectRequest(long sessionId, boolean readOnly) {
    JuteOut o = create().i32(0).i64(0).i32(30_000).i64(sessionId).buf(new byte[16]);
    if (readOnly) {
      o.bool(false);
    }
    return o.frame();
  }

  public static byte[] connectResponse(long sessionId, boolean readOnly) {
    JuteOut o = create().i32(0).i32(30_000).i64(sessionId).buf(new byte[16]);
    if (readOnly) {
      o.bool(false);
    }
    return o.frame();
  }

  public static JuteOut request(int xid, Op op) {
    return create().i32(xid).i32(op.code());
  }

  public static JuteOut reply(int xid, long zxid, int err) {
    return create().i32(xid).i64(zxid).i32(err);
  }
}
