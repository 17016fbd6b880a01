package dev.zkdigest.it;

import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A ZooKeeper client written by hand on a plain socket, for what the real clients will not do:
 * pipeline, stall, read slowly, or never read. Records as in {@code zookeeper.jute}.
 */
final class RawClient implements AutoCloseable {
  /** A bound on any blocking read, so a test that goes wrong fails instead of hanging. */
  private static final int READ_TIMEOUT_MILLIS = 60_000;

  final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  /** Connects with a receive buffer of {@code receiveBuffer} bytes (0: the system's default). */
  RawClient(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer); // before connecting, so the window is small
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
    socket.setSoTimeout(READ_TIMEOUT_MILLIS);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** The handshake: a ConnectRequest for a new session, and the server's ConnectResponse. */
  byte[] handshake() throws IOException {
    send(JuteOut.connectRequest(0, false));
    return readFrame();
  }

  void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** One reply frame with its 4-byte length. */
  byte[] readFrame() throws IOException {
    int len = in.readInt();
    byte[] f = new byte[4 + len];
    f[0] = (byte) (len >>> 24);
    f[1] = (byte) (len >>> 16);
    f[2] = (byte) (len >>> 8);
    f[3] = (byte) len;
    in.readFully(f, 4, len);
    return f;
  }

  /** Everything until the other side closes. */
  byte[] readToEnd() throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        all.write(buf, 0, n);
      }
    } catch (EOFException e) {
      // closed
    }
    return all.toByteArray();
  }

  /** What one read returns, at most {@code max} bytes; empty at the end of the stream. */
  byte[] readSome(int max) throws IOException {
    byte[] buf = new byte[max];
    int n = in.read(buf);
    return n <= 0 ? new byte[0] : java.util.Arrays.copyOf(buf, n);
  }

  static byte[] getData(int xid, String path) {
    return JuteOut.request(xid, Op.GET_DATA).str(path).bool(false).frame();
  }

  /** A multiRead of getData on each path: one request, one reply as large as all the data. */
  static byte[] multiReadGetData(int xid, String... paths) {
    JuteOut o = JuteOut.request(xid, Op.MULTI_READ);
    for (String p : paths) {
      o.i32(Op.GET_DATA.code()).bool(false).i32(-1).str(p).bool(false);
    }
    return o.i32(-1).bool(true).i32(-1).frame();
  }

  static byte[] closeSession(int xid) {
    return JuteOut.request(xid, Op.CLOSE_SESSION).frame();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
