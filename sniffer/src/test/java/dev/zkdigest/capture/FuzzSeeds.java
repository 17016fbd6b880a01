package dev.zkdigest.capture;

import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.Samples;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the synthetic seeds of {@link CaptureFuzzTest} and {@link TcpReassemblyFuzzTest} into
 * {@code src/test/resources}; run from the sniffer module's directory with the test classpath.
 *
 * <p>The real seeds beside them ({@code real-*}) were recorded, not generated: tcpdump on {@code
 * lo} (and on {@code any}, Linux cooked v2) during {@code ./zkdigest demo --duration 1s --clients
 * 1}, filtered to the ZooKeeper server's port, cut to 60 packets from the start or from mid-session
 * with {@code editcap -r}, the server port mapped to 2181 with {@code tcprewrite --portmap} (not
 * the cooked one: tcprewrite cannot), converted with {@code editcap -F pcapng} and {@code -F
 * nsecpcap}.
 */
final class FuzzSeeds {
  private FuzzSeeds() {}

  private static final Path RESOURCES = Path.of("src/test/resources/dev/zkdigest/capture");

  public static void main(String[] args) throws IOException {
    Path captures = RESOURCES.resolve("CaptureFuzzTestInputs/anyCaptureFile");
    Path scripts = RESOURCES.resolve("TcpReassemblyFuzzTestInputs/anySegments");
    Files.createDirectories(captures);
    Files.createDirectories(scripts);
    writeCaptures(captures);
    writeScripts(scripts);
  }

  // ---- one session, as both fuzz tests use it ----

  private static final Op[] OPS = {
    Op.GET_DATA,
    Op.CREATE2,
    Op.SET_DATA,
    Op.EXISTS,
    Op.GET_CHILDREN2,
    Op.MULTI,
    Op.MULTI_READ,
    Op.AUTH,
    Op.SASL,
    Op.PING,
    Op.CLOSE_SESSION
  };

  /** A frame with its xid replaced (Samples uses one xid for every ordinary op). */
  private static byte[] withXid(byte[] frame, int xid) {
    byte[] f = frame.clone();
    ByteBuffer.wrap(f).putInt(4, xid);
    return f;
  }

  private static List<byte[]> requests() {
    List<byte[]> out = new ArrayList<>(List.of(JuteOut.connectRequest(0, true)));
    int xid = 1;
    for (Op op : OPS) {
      byte[] r = Samples.request(op);
      out.add(Samples.xidFor(op) == 7 ? withXid(r, xid++) : r);
    }
    return out;
  }

  private static List<byte[]> replies() {
    List<byte[]> out = new ArrayList<>(List.of(JuteOut.connectResponse(0x1234, true)));
    int xid = 1;
    for (Op op : OPS) {
      byte[] r = Samples.reply(op);
      out.add(Samples.xidFor(op) == 7 ? withXid(r, xid++) : r);
      if (op == Op.EXISTS) {
        // A watch fired between two replies.
        out.add(JuteOut.reply(-1, -1, 0).i32(3).i32(3).str(Samples.PATH).frame());
      }
    }
    return out;
  }

  // ---- captures ----

  private static void writeCaptures(Path dir) throws IOException {
    record Variant(
        String name, int linkType, boolean ipv6, int[] vlans, int[] ext, boolean bigNull) {}
    List<Variant> variants =
        List.of(
            new Variant(
                "ethernet-ipv4", PacketDecoder.DLT_EN10MB, false, new int[0], new int[0], false),
            new Variant(
                "ethernet-ipv6-ext",
                PacketDecoder.DLT_EN10MB,
                true,
                new int[0],
                new int[] {0, 60},
                false),
            new Variant(
                "qinq-ipv4",
                PacketDecoder.DLT_EN10MB,
                false,
                new int[] {0x88a8, 0x8100},
                new int[0],
                false),
            new Variant(
                "sll-ipv4", PacketDecoder.DLT_LINUX_SLL, false, new int[0], new int[0], false),
            new Variant(
                "sll2-ipv6", PacketDecoder.DLT_LINUX_SLL2, true, new int[0], new int[0], false),
            new Variant(
                "null-big-endian-ipv6", PacketDecoder.DLT_NULL, true, new int[0], new int[0], true),
            new Variant("loop-ipv4", PacketDecoder.DLT_LOOP, false, new int[0], new int[0], false),
            new Variant("raw-ipv4", PacketDecoder.DLT_RAW, false, new int[0], new int[0], false));
    for (Variant v : variants) {
      SyntheticTcp c = new SyntheticTcp(v.linkType(), v.ipv6(), 40000, 2181);
      c.vlanTags = v.vlans();
      c.ipv6Extensions = v.ext();
      c.nullBigEndian = v.bigNull();
      List<byte[]> packets = session(c);
      for (boolean nanos : new boolean[] {false, true}) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(out, v.linkType(), 65535, nanos)) {
          long t = 1_700_000_000_000_000_000L;
          for (byte[] p : packets) {
            w.write(t, p, 0, p.length, p.length);
            t += 1_000_000;
          }
        }
        Files.write(
            dir.resolve("synthetic-" + v.name() + (nanos ? "-nanos" : "") + ".pcap"),
            out.toByteArray());
      }
    }
    // A big-endian pcap, a snaplen-cut one, and pcapng with two interfaces in either byte order.
    SyntheticTcp c = new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40001, 2181);
    List<byte[]> packets = session(c);
    Files.write(dir.resolve("synthetic-big-endian.pcap"), bigEndianPcap(packets, 65535));
    Files.write(dir.resolve("synthetic-snaplen-60.pcap"), bigEndianPcap(packets, 60));
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      PcapngBuilder f = new PcapngBuilder(order);
      f.iface(PacketDecoder.DLT_EN10MB, -1);
      f.iface(PacketDecoder.DLT_RAW, 9);
      SyntheticTcp raw = new SyntheticTcp(PacketDecoder.DLT_RAW, true, 40002, 2181);
      List<byte[]> other = session(raw);
      long us = 1_700_000_000_000_000L;
      for (int i = 0; i < packets.size(); i++) {
        f.packet(0, us, packets.get(i));
        f.packet(1, us * 1000 + 500, other.get(i));
        us += 1000;
      }
      Files.write(dir.resolve("synthetic-two-interfaces-" + order + ".pcapng"), f.bytes());
    }
  }

  /** Handshake, every request of {@link #OPS} and its reply in turn, then both FINs. */
  private static List<byte[]> session(SyntheticTcp c) {
    List<byte[]> out = new ArrayList<>(List.of(c.syn(), c.synAck()));
    List<byte[]> rq = requests();
    List<byte[]> rp = replies();
    int r = 0;
    for (byte[] q : rq) {
      out.add(c.fromClient(q));
      out.add(c.fromServer(rp.get(r++)));
      if (r < rp.size() && ByteBuffer.wrap(rp.get(r)).getInt(4) == -1) {
        out.add(c.fromServer(rp.get(r++))); // the watch event
      }
    }
    out.add(c.fin(true));
    out.add(c.fin(false));
    return out;
  }

  private static byte[] bigEndianPcap(List<byte[]> packets, int snaplen) {
    ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(snaplen).putInt(PacketDecoder.DLT_EN10MB);
    int sec = 1_700_000_000;
    for (byte[] p : packets) {
      int cap = Math.min(snaplen, p.length);
      b.putInt(sec++).putInt(0).putInt(cap).putInt(p.length).put(p, 0, cap);
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  // ---- reassembly scripts ----

  private static void writeScripts(Path dir) throws IOException {
    byte[] client = JuteOut.concat(requests().toArray(new byte[0][]));
    byte[] server = JuteOut.concat(replies().toArray(new byte[0][]));
    int fromServer = TcpReassemblyFuzzTest.FROM_SERVER;
    int ackAll = TcpReassemblyFuzzTest.ACK_ALL;
    int fin = TcpReassemblyFuzzTest.FIN;
    // In order: each side in pieces of 40 bytes, taking turns.
    Script inOrder = new Script(client, server);
    int half = Math.max(client.length, server.length);
    for (int off = 0; off < half; off += 40) {
      inOrder.segment(0, off, 40);
      inOrder.segment(fromServer, off, 40);
    }
    inOrder.segment(fin, client.length, 0).segment(fromServer | fin, server.length, 0);
    inOrder.write(dir.resolve("in-order"));
    // Out of order: the client's pieces in reverse, the server's in order.
    Script reversed = new Script(client, server);
    for (int off = (client.length / 25) * 25; off >= 0; off -= 25) {
      reversed.segment(0, off, 25);
    }
    for (int off = 0; off < server.length; off += 200) {
      reversed.segment(fromServer, off, 200);
    }
    reversed.write(dir.resolve("client-reversed"));
    // Retransmissions that overlap what came before in part, and duplicates.
    Script overlapping = new Script(client, server);
    for (int off = 0; off < client.length; off += 30) {
      overlapping.segment(0, off, 45).segment(0, off + 10, 20);
    }
    for (int off = 0; off < server.length; off += 60) {
      overlapping.segment(fromServer, off, 60).segment(fromServer, off, 60);
    }
    overlapping.write(dir.resolve("overlapping-retransmissions"));
    // A piece of each side lost by the capture, acknowledged by the peer.
    Script lost = new Script(client, server);
    for (int off = 0; off < half; off += 50) {
      if (off != 100) {
        lost.segment(0, off, 50);
        lost.segment(fromServer | ackAll, off, 50);
      }
    }
    lost.write(dir.resolve("lost-and-acknowledged"));
    // A reset in the middle, then more data on the same four-tuple.
    Script reset = new Script(client, server);
    reset.segment(0, 0, 120).segment(fromServer, 0, 80);
    reset.segment(TcpReassemblyFuzzTest.RST | fromServer, 80, 0);
    reset.segment(0, 120, 100).segment(fromServer, 80, 100);
    reset.write(dir.resolve("reset-then-data"));
  }

  /** A {@link TcpReassemblyFuzzTest} input being written. */
  private static final class Script {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Script(byte[] client, byte[] server) {
      ByteBuffer h =
          ByteBuffer.allocate(4).putShort((short) client.length).putShort((short) server.length);
      out.writeBytes(h.array());
      out.writeBytes(client);
      out.writeBytes(server);
    }

    Script segment(int kind, int start, int length) {
      out.writeBytes(
          ByteBuffer.allocate(4)
              .put((byte) kind)
              .putShort((short) start)
              .put((byte) length)
              .array());
      return this;
    }

    void write(Path file) throws IOException {
      Files.write(file, out.toByteArray());
    }
  }
}
