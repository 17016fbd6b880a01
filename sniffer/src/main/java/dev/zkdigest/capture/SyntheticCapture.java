package dev.zkdigest.capture;

import dev.zkdigest.protocol.KeeperErrors;
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
 *
 * <p>{@link Shape#REAL} instead copies the shape of a capture of ZooKeeper's Java client under
 * pipelined load ({@code benchmarks/record-capture.sh}, measured by {@code
 * benchmarks/capture-shape.py}; BENCHMARKS.md compares the two): small frames, each request in a
 * segment of its own, replies coalesced a few to a segment or cut mid-frame, pure ACKs, TCP
 * timestamps; nine requests in ten are getData of one znode from long sessions (the even ones), the
 * rest a create/setData/exists/delete script over paths with counters from sessions (the odd ones)
 * that reconnect.
 */
public final class SyntheticCapture {

  /**
   * What to write.
   *
   * @param names distinct letter-only znode names drawn from (each folds into a class of its own,
   *     to exercise the caps); 0 for the default tree, whose paths fold into a few dozen classes
   */
  public record Options(long targetBytes, int sessions, long seed, int names, Shape shape) {
    public Options(long targetBytes, int sessions, long seed, int names) {
      this(targetBytes, sessions, seed, names, Shape.MSS);
    }

    public Options(long targetBytes, int sessions, long seed) {
      this(targetBytes, sessions, seed, 0);
    }
  }

  /** How the traffic is cut into segments, and what it holds. */
  public enum Shape {
    /** Pipelined bursts cut at the MSS, a mix of every size: the decoder's worst case per byte. */
    MSS,
    /** As a real capture of Java clients under load: small frames, one per segment, mostly. */
    REAL
  }

  /**
   * What was written, counted as it was written, to compare a replay against.
   *
   * @param connections TCP connections, each with its handshake and one session
   * @param errors replies with a non-zero error code
   */
  public record Summary(long packets, long requests, long bytes, long connections, long errors) {}

  /**
   * REAL: the exchanges of the mixed script, one request each, against bursts of four reads on
   * average: a third of the exchanges make the measured 10% of requests.
   */
  private static final int MIXED_EXCHANGE_PERCENT = 35;

  /** REAL: reply segments that end inside a frame (15% of them end no frame at all, measured). */
  private static final int MID_FRAME_PERCENT = 25;

  /** REAL: one data segment in this many is followed by a pure ACK (0.22 measured). */
  private static final int ACK_ONE_IN = 5;

  /** REAL: znodes each mixed session works through before it closes and reconnects. */
  private static final int NODES_PER_ROUND = 20;

  /** REAL: the getData reply of the read sessions' znode, as RecordCapture's /load. */
  private static final int LOAD_DATA = 100;

  /** REAL: TCP options of every segment, NOP NOP and a timestamp, as Linux sends. */
  private static final int TCP_OPTIONS = 12;

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
  private long connections;
  private long errors;
  private final Shape shape;

  /** Connections opened so far, for fresh client ports and session ids. */
  private int opened;

  private final class Session {
    final int index;
    final boolean ipv6;
    final byte[] client;
    final byte[] server;
    int clientPort;
    long sessionId;
    int cseq;
    int sseq;
    int xid = 1;
    long zxid = 100;

    /** REAL: runs the mixed script, and where it is in it. */
    final boolean mixed;

    int round;
    int step;

    Session(int i) {
      index = i;
      ipv6 = shape == Shape.MSS && i % 2 == 1;
      mixed = shape == Shape.REAL && i % 2 == 1;
      clientPort = 20_000 + i % 40_000;
      sessionId = 0x1000000L + clientPort;
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

  private SyntheticCapture(OutputStream os, long seed, int names, Shape shape) throws IOException {
    this.names = names;
    this.shape = shape;
    this.rnd = new SplittableRandom(seed);
    this.out = new PcapWriter(os, PacketDecoder.DLT_EN10MB, 65535, true);
  }

  public static Summary write(Path file, Options o) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      SyntheticCapture g = new SyntheticCapture(os, o.seed(), o.names(), o.shape());
      List<Session> sessions = new ArrayList<>();
      for (int i = 0; i < o.sessions(); i++) {
        Session s = g.new Session(i);
        g.open(s);
        sessions.add(s);
      }
      long written = 0;
      int turn = 0;
      while (written < o.targetBytes()) {
        Session s = g.pick(sessions);
        written += o.shape() == Shape.REAL ? g.exchangeReal(s) : g.exchange(s);
        if (++turn % 1024 == 0) {
          g.out.flush();
        }
      }
      for (Session s : sessions) {
        g.closeSession(s);
      }
      g.out.close();
      return new Summary(g.packets, g.requests, Files.size(file), g.connections, g.errors);
    }
  }

  /** MSS: any session. REAL: a mixed one (the odd ones) in the measured share of exchanges. */
  private Session pick(List<Session> sessions) {
    if (shape == Shape.REAL && sessions.size() > 1) {
      boolean mixed = rnd.nextInt(100) < MIXED_EXCHANGE_PERCENT;
      int half = mixed ? sessions.size() / 2 : (sessions.size() + 1) / 2;
      return sessions.get(2 * rnd.nextInt(half) + (mixed ? 1 : 0));
    }
    return sessions.get(rnd.nextInt(sessions.size()));
  }

  private void open(Session s) throws IOException {
    connections++;
    opened++;
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
    payload.putInt(0).putInt(30_000).putLong(s.sessionId).putInt(16).put(zeros, 0, 16);
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

  /** REAL: one step of the session's script, or a pipelined burst of reads. */
  private long exchangeReal(Session s) throws IOException {
    if (s.mixed) {
      return mixedStep(s);
    }
    int n = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 16 : 4);
    int[] xids = new int[n];
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      xids[i] = s.xid++;
      payload.clear();
      frameStart();
      payload.putInt(xids[i]).putInt(4);
      str("/load");
      payload.put((byte) 0);
      frameEnd();
      requests++;
      bytes += sendSegment(s, true);
    }
    payload.clear();
    int[] ends = new int[n];
    for (int i = 0; i < n; i++) {
      frameStart();
      payload.putInt(xids[i]).putLong(s.zxid).putInt(0);
      buf(LOAD_DATA);
      stat();
      frameEnd();
      ends[i] = payload.position();
    }
    return bytes + sendCoalesced(s, ends);
  }

  /**
   * REAL: the mixed workload's script, one synchronous request a call: per znode create, a second
   * create (NODEEXISTS), setData, a stale setData (BADVERSION), exists, getData of a missing
   * sibling (NONODE), getData, delete; after {@link #NODES_PER_ROUND} znodes, getChildren2 and
   * delete of the parent, then closeSession and a new connection.
   */
  private long mixedStep(Session s) throws IOException {
    String parent = "/mixed-" + s.index + "-" + s.round;
    // Step 0 creates the parent; then eight steps per znode.
    int k = s.step - 1;
    int node = k / 8;
    int op;
    int err = 0;
    String path;
    if (s.step == 0) {
      op = 1;
      path = parent;
    } else if (node < NODES_PER_ROUND) {
      path = parent + "/n" + node;
      switch (k % 8) {
        case 0 -> op = 1;
        case 1 -> {
          op = 15;
          err = KeeperErrors.NODEEXISTS;
        }
        case 2 -> op = 5;
        case 3 -> {
          op = 5;
          err = KeeperErrors.BADVERSION;
        }
        case 4 -> op = 3;
        case 5 -> {
          op = 4;
          path = parent + "/missing" + node;
          err = KeeperErrors.NONODE;
        }
        case 6 -> op = 4;
        default -> op = 2;
      }
    } else if (k == 8 * NODES_PER_ROUND) {
      op = 12;
      path = parent;
    } else if (k == 8 * NODES_PER_ROUND + 1) {
      op = 2;
      path = parent;
    } else {
      closeSession(s);
      s.round++;
      s.step = 0;
      s.clientPort = 20_000 + opened % 40_000;
      s.sessionId = 0x1000000L + opened;
      s.xid = 1;
      s.cseq = rnd.nextInt();
      s.sseq = rnd.nextInt();
      open(s);
      return 0;
    }
    s.step++;
    int xid = s.xid++;
    payload.clear();
    frameStart();
    payload.putInt(xid).putInt(op);
    str(path);
    switch (op) {
      case 1, 15 -> {
        buf(16);
        payload.putInt(1).putInt(31);
        str("world");
        str("anyone");
        payload.putInt(0);
      }
      case 5 -> {
        buf(16);
        payload.putInt(err == 0 ? -1 : 5);
      }
      case 2 -> payload.putInt(-1);
      default -> payload.put((byte) 0);
    }
    frameEnd();
    requests++;
    long bytes = sendSegment(s, true);
    payload.clear();
    frameStart();
    payload.putInt(xid).putLong(s.zxid++).putInt(err);
    if (err != 0) {
      errors++;
    } else {
      switch (op) {
        case 1 -> str(path);
        case 15 -> {
          str(path);
          stat();
        }
        case 4 -> {
          buf(16);
          stat();
        }
        case 3, 5 -> stat();
        case 12 -> {
          payload.putInt(0);
          stat();
        }
        default -> {}
      }
    }
    frameEnd();
    return bytes + sendSegment(s, false);
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

  /** REAL: the payload buffer as one segment, maybe followed by the peer's pure ACK. */
  private long sendSegment(Session s, boolean fromClient) throws IOException {
    payload.flip();
    int n = payload.remaining();
    data(s, fromClient, n);
    maybeAck(s, fromClient);
    return n;
  }

  /**
   * REAL: the replies in the payload buffer (frames ending at {@code ends}), a few frames to a
   * segment as a busy server's writes coalesce (one in 45% of the segments, up to eight), and now
   * and then a segment that ends inside a frame.
   */
  private long sendCoalesced(Session s, int[] ends) throws IOException {
    payload.flip();
    int total = payload.remaining();
    int frame = 0;
    while (payload.hasRemaining()) {
      int dice = rnd.nextInt(100);
      int frames =
          dice < 45 ? 1 : dice < 65 ? 2 : dice < 82 ? 3 : dice < 95 ? 4 + rnd.nextInt(4) : 8;
      int last = Math.min(ends.length - 1, frame + frames - 1);
      int end = ends[last];
      if (rnd.nextInt(100) < MID_FRAME_PERCENT) {
        // A write that ended mid-frame: the rest comes in the next segment.
        end = Math.max(payload.position() + 1, end - 1 - rnd.nextInt(64));
      }
      while (frame < ends.length && ends[frame] <= end) {
        frame++;
      }
      data(s, false, end - payload.position());
      maybeAck(s, false);
    }
    return total;
  }

  /** A data segment of the next {@code n} payload bytes. */
  private void data(Session s, boolean fromClient, int n) throws IOException {
    if (fromClient) {
      segment(s, true, s.cseq, 0x18, n);
      s.cseq += n;
    } else {
      segment(s, false, s.sseq, 0x18, n);
      s.sseq += n;
    }
  }

  private void maybeAck(Session s, boolean fromClient) throws IOException {
    if (rnd.nextInt(ACK_ONE_IN) == 0) {
      segment(s, !fromClient, fromClient ? s.sseq : s.cseq, 0x10, 0);
    }
  }

  /** Sends the payload buffer as MSS-sized segments, then the peer's ACK. */
  private long send(Session s, boolean fromClient) throws IOException {
    if (shape == Shape.REAL) {
      return sendSegment(s, fromClient);
    }
    payload.flip();
    int mss = s.ipv6 ? MSS6 : MSS4;
    long total = payload.remaining();
    while (payload.hasRemaining()) {
      data(s, fromClient, Math.min(mss, payload.remaining()));
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
    int tcpLength = 20 + (shape == Shape.REAL ? TCP_OPTIONS : 0) + n;
    if (s.ipv6) {
      pkt.putInt(0x60000000).putShort((short) tcpLength).put((byte) 6).put((byte) 64);
      pkt.put(src).put(dst);
    } else {
      pkt.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcpLength)).putInt(0);
      pkt.put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
    }
    pkt.putShort((short) (fromClient ? s.clientPort : 2181));
    pkt.putShort((short) (fromClient ? 2181 : s.clientPort));
    // With the ACK flag, acknowledge everything the peer has sent, as a real stack would.
    int ack = (flags & TcpSegment.ACK) != 0 ? (fromClient ? s.sseq : s.cseq) : 0;
    int options = shape == Shape.REAL ? TCP_OPTIONS : 0;
    pkt.putInt(seq).putInt(ack).put((byte) ((20 + options) << 2)).put((byte) flags);
    pkt.putShort((short) 65535).putInt(0);
    if (options > 0) {
      // NOP, NOP, timestamp (kind 8, length 10): value and echo.
      pkt.put((byte) 1).put((byte) 1).put((byte) 8).put((byte) 10);
      pkt.putInt((int) (now / 1_000_000)).putInt((int) (now / 1_000_000) - 1);
    }
    if (n > 0) {
      payload.get(pkt.array(), pkt.position(), n);
      pkt.position(pkt.position() + n);
    }
    now += 2_000 + rnd.nextInt(20_000);
    out.write(now, pkt.array(), 0, pkt.position(), pkt.position());
    packets++;
  }
}
