package dev.zkdigest.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a deterministic, realistic ZooKeeper capture for benchmarks: many sessions over IPv4 and
 * IPv6, pipelined requests (several frames in one segment), payloads split at the MSS, replies from
 * a few bytes to 1 MiB, watch events, pings and errors. The same seed gives the same file.
 */
public final class SyntheticCapture {

  /**
   * What to write.
   *
   * @param names distinct letter-only znode names drawn from (each folds into a class of its own,
   *     to exercise the caps); 0 for the default tree, whose paths fold into a few dozen classes
   */
  public record Options(long targetBytes, int sessions, long seed, int names) {
    public Options(long targetBytes, int sessions, long seed) {
      this(targetBytes, sessions, seed, 0);
    }
  }

  /** What was written, to compare a replay against. */
  public record Summary(long packets, long requests, long bytes) {}

  private static final int MSS4 = 1448;
  private static final int MSS6 = 1428;
  private static final int[] ERRS = {-101, -110, -103};

  private final SplittableRandom rnd;
  private final PcapWriter out;
  private final ByteBuffer pkt = ByteBuffer.allocate(2048);
  private final ByteBuffer payload = ByteBuffer.allocate((1 << 20) + 64 * 1024);
  private final byte[] zeros = new byte[1 << 20];
  private long now = 1_700_000_000_000_000_000L;
  private long packets;
  private long requests;

  private final class Session {
    final boolean ipv6;
    final byte[] client;
    final byte[] server;
    final int clientPort;
    int cseq;
    int sseq;
    int xid = 1;
    long zxid = 100;

    Session(int i) {
      ipv6 = i % 2 == 1;
      clientPort = 20_000 + i % 40_000;
      if (ipv6) {
        client = new byte[16];
        client[0] = (byte) 0xfd;
        client[13] = (byte) (i >> 16);
        client[14] = (byte) (i >> 8);
        client[15] = (byte) i;
        server = new byte[16];
        server[0] = (byte) 0xfd;
        server[15] = 1;
      } else {
        client = new byte[] {10, (byte) (1 + (i >> 16)), (byte) (i >> 8), (byte) i};
        server = new byte[] {10, 0, 0, 1};
      }
      cseq = rnd.nextInt();
      sseq = rnd.nextInt();
    }
  }

  private final int names;

  /** A distinct name of letters only, as digits would fold. */
  private static String letters(int i) {
    StringBuilder b = new StringBuilder("n");
    do {
      b.append((char) ('a' + i % 26));
      i /= 26;
    } while (i > 0);
    return b.toString();
  }

  private SyntheticCapture(OutputStream os, long seed, int names) throws IOException {
    this.names = names;
    this.rnd = new SplittableRandom(seed);
    this.out = new PcapWriter(os, PacketDecoder.DLT_EN10MB, 65535, true);
  }

  public static Summary write(Path file, Options o) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      SyntheticCapture g = new SyntheticCapture(os, o.seed(), o.names());
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < o.sessions(); i++) {
        Session s = g.new Session(i);
        g.open(s);
        sessions.add(s);
      }
      long written = 0;
      int turn = 0;
      while (written < o.targetBytes()) {
        Session s = sessions.get(g.rnd.nextInt(sessions.size()));
        written += g.exchange(s);
        if (++turn % 1024 == 0) {
          g.out.flush();
        }
      }
      for (Session s : sessions) {
        g.closeSession(s);
      }
      g.out.close();
      return new Summary(g.packets, g.requests, Files.size(file));
    }
  }

  private void open(Session s) throws IOException {
    segment(s, true, s.cseq, 0x02, 0);
    s.cseq++;
    segment(s, false, s.sseq, 0x12, 0);
    s.sseq++;
    payload.clear();
    frameStart();
    payload
        .putInt(0)
        .putLong(0)
        .putInt(30_000)
        .putLong(0)
        .putInt(16)
        .put(zeros, 0, 16)
        .put((byte) 0);
    frameEnd();
    requests++;
    send(s, true);
    payload.clear();
    frameStart();
    payload
        .putInt(0)
        .putInt(30_000)
        .putLong(0x1000000L + s.clientPort)
        .putInt(16)
        .put(zeros, 0, 16);
    payload.put((byte) 0);
    frameEnd();
    send(s, false);
  }

  private void closeSession(Session s) throws IOException {
    payload.clear();
    frameStart();
    payload.putInt(s.xid++).putInt(-11);
    frameEnd();
    requests++;
    send(s, true);
    payload.clear();
    frameStart();
    payload.putInt(s.xid - 1).putLong(s.zxid).putInt(0);
    frameEnd();
    send(s, false);
    segment(s, true, s.cseq, 0x11, 0);
    segment(s, false, s.sseq, 0x11, 0);
  }

  /** A pipelined burst of requests, then their replies (maybe after a watch event). */
  private long exchange(Session s) throws IOException {
    int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 16 : 3);
    int[] ops = new int[n];
    int[] xids = new int[n];
    payload.clear();
    for (int i = 0; i < n; i++) {
      int dice = rnd.nextInt(100);
      ops[i] =
          dice < 45
              ? 4
              : dice < 60
                  ? 3
                  : dice < 70
                      ? 5
                      : dice < 77 ? 12 : dice < 82 ? 1 : dice < 86 ? 2 : dice < 90 ? 14 : 11;
      xids[i] = ops[i] == 11 ? -2 : s.xid++;
      frameStart();
      payload.putInt(xids[i]).putInt(ops[i]);
      String path =
          names > 0
              ? "/app/" + letters(rnd.nextInt(names)) + "/node-" + rnd.nextInt(1000)
              : "/app/service-" + rnd.nextInt(50) + "/node-" + rnd.nextInt(1000);
      switch (ops[i]) {
        case 4, 3, 12 -> {
          str(path);
          payload.put((byte) (rnd.nextBoolean() ? 1 : 0));
        }
        case 5 -> {
          str(path);
          buf(rnd.nextInt(200));
          payload.putInt(-1);
        }
        case 1 -> {
          str(path + "/lock-");
          buf(rnd.nextInt(64));
          payload.putInt(1).putInt(31);
          str("world");
          str("anyone");
          payload.putInt(3);
        }
        case 2 -> {
          str(path);
          payload.putInt(-1);
        }
        case 14 -> {
          payload.putInt(1).put((byte) 0).putInt(-1);
          str(path + "/m");
          buf(10);
          payload.putInt(0).putInt(0);
          payload.putInt(5).put((byte) 0).putInt(-1);
          str(path + "/m");
          buf(10);
          payload.putInt(-1);
          payload.putInt(-1).put((byte) 1).putInt(-1);
        }
        default -> {}
      }
      frameEnd();
      requests++;
    }
    long bytes = send(s, true);
    payload.clear();
    if (rnd.nextInt(20) == 0) {
      frameStart();
      payload.putInt(-1).putLong(-1).putInt(0).putInt(3).putInt(3);
      str("/app/service-" + rnd.nextInt(50) + "/config");
      frameEnd();
    }
    for (int i = 0; i < n; i++) {
      int err = ops[i] != 11 && rnd.nextInt(20) == 0 ? ERRS[rnd.nextInt(ERRS.length)] : 0;
      int size = ops[i] == 4 && err == 0 ? dataSize() : 0;
      if (payload.remaining() < size + 4096) {
        bytes += send(s, false);
        payload.clear();
      }
      frameStart();
      payload.putInt(xids[i]).putLong(s.zxid++).putInt(err);
      if (err == 0) {
        switch (ops[i]) {
          case 4 -> {
            buf(size);
            stat();
          }
          case 3, 5 -> stat();
          case 12 -> {
            int kids = rnd.nextInt(30);
            payload.putInt(kids);
            for (int k = 0; k < kids; k++) {
              str("child-" + k);
            }
            stat();
          }
          case 1 -> str("/app/lock-" + String.format("%010d", s.xid));
          case 14 -> {
            payload.putInt(1).put((byte) 0).putInt(0);
            str("/m");
            payload.putInt(5).put((byte) 0).putInt(0);
            stat();
            payload.putInt(-1).put((byte) 1).putInt(-1);
          }
          default -> {}
        }
      }
      frameEnd();
    }
    bytes += send(s, false);
    return bytes;
  }

  private int dataSize() {
    int d = rnd.nextInt(1000);
    if (d == 0) {
      return 64 * 1024 + rnd.nextInt((1 << 20) - 64 * 1024 - 200);
    }
    return d < 50 ? 1024 + rnd.nextInt(16 * 1024) : rnd.nextInt(512);
  }

  private int frameMark;

  private void frameStart() {
    frameMark = payload.position();
    payload.putInt(0);
  }

  private void frameEnd() {
    payload.putInt(frameMark, payload.position() - frameMark - 4);
  }

  private void str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    payload.putInt(b.length).put(b);
  }

  private void buf(int len) {
    payload.putInt(len).put(zeros, 0, len);
  }

  private void stat() {
    payload.put(zeros, 0, 68);
  }

  /** Sends the payload buffer as MSS-sized segments, then the peer's ACK. */
  private long send(Session s, boolean fromClient) throws IOException {
    payload.flip();
    int mss = s.ipv6 ? MSS6 : MSS4;
    long total = payload.remaining();
    while (payload.hasRemaining()) {
      int n = Math.min(mss, payload.remaining());
      if (fromClient) {
        segment(s, true, s.cseq, 0x18, n);
        s.cseq += n;
      } else {
        segment(s, false, s.sseq, 0x18, n);
        s.sseq += n;
      }
    }
    segment(s, !fromClient, fromClient ? s.sseq : s.cseq, 0x10, 0);
    return total;
  }

  private void segment(Session s, boolean fromClient, int seq, int flags, int n)
      throws IOException {
    pkt.clear();
    pkt.put(zeros, 0, 12).putShort((short) (s.ipv6 ? 0x86dd : 0x0800));
    byte[] src = fromClient ? s.client : s.server;
    byte[] dst = fromClient ? s.server : s.client;
    if (s.ipv6) {
      pkt.putInt(0x60000000).putShort((short) (20 + n)).put((byte) 6).put((byte) 64);
      pkt.put(src).put(dst);
    } else {
      pkt.put((byte) 0x45).put((byte) 0).putShort((short) (40 + n)).putInt(0);
      pkt.put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
    }
    pkt.putShort((short) (fromClient ? s.clientPort : 2181));
    pkt.putShort((short) (fromClient ? 2181 : s.clientPort));
    // With the ACK flag, acknowledge everything the peer has sent, as a real stack would.
    int ack = (flags & TcpSegment.ACK) != 0 ? (fromClient ? s.sseq : s.cseq) : 0;
    pkt.putInt(seq).putInt(ack).put((byte) 0x50).put((byte) flags).putShort((short) 65535);
    pkt.putInt(0);
    if (n > 0) {
      payload.get(pkt.array(), pkt.position(), n);
      pkt.position(pkt.position() + n);
    }
    now += 2_000 + rnd.nextInt(20_000);
    out.write(now, pkt.array(), 0, pkt.position(), pkt.position());
    packets++;
  }
}
