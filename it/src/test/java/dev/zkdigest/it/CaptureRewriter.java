package dev.zkdigest.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites a tcpdump capture (Ethernet, IPv4, TCP; as {@code tcpdump -i lo} writes) into what a
 * sniffer on a busy or lossy tap might see, for replay with tcpreplay: every payload cut into
 * pieces of at most {@link #PIECE} bytes, then within each run of pieces one side sends before the
 * other answers, pieces reordered, delayed to the end of the run and duplicated; optionally, pieces
 * that lie wholly inside a ZooKeeper frame's body dropped, as a capture that lost them. It parses
 * the headers itself (not with zkdigest's code) and recomputes the IPv4 and TCP checksums.
 */
final class CaptureRewriter {
  /** Bytes of payload per piece: frames of a few KiB span several. */
  static final int PIECE = 700;

  /** What was done, to compare with what the sniffer reports. */
  record Rewritten(int pieces, int reordered, int delayed, int duplicated, long droppedBytes) {}

  /** One TCP segment of the rewritten capture. */
  private record Piece(byte[] frame, boolean fromClient, boolean data, boolean interior) {}

  private CaptureRewriter() {}

  /** Rewrites {@code in} into {@code out}; {@code serverPort} tells the directions apart. */
  static Rewritten rewrite(Path in, Path out, int serverPort, boolean dropInterior)
      throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(in)).order(ByteOrder.LITTLE_ENDIAN);
    int magic = b.getInt(0);
    if (magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
      throw new IOException(in + ": expected a little-endian pcap from tcpdump");
    }
    if (b.getInt(20) != 1) {
      throw new IOException(in + ": expected Ethernet (tcpdump -i lo)");
    }
    byte[] fileHeader = new byte[24];
    b.get(fileHeader);
    // Where each direction's frames begin, by stream offset: to know which pieces hold no header.
    FrameBoundaries clientFrames = new FrameBoundaries();
    FrameBoundaries serverFrames = new FrameBoundaries();
    List<Piece> pieces = new ArrayList<>();
    while (b.remaining() >= 16) {
      b.getInt();
      b.getInt();
      int capLen = b.getInt();
      b.getInt();
      byte[] p = new byte[capLen];
      b.get(p);
      cut(p, serverPort, clientFrames, serverFrames, pieces);
    }
    // Runs of pieces from one side: reorder, delay and duplicate only within a run, so that no
    // piece moves past the other side's acknowledgement of it.
    List<Piece> rewritten = new ArrayList<>();
    int reordered = 0;
    int delayed = 0;
    int duplicated = 0;
    long dropped = 0;
    int i = 0;
    while (i < pieces.size()) {
      int j = i;
      while (j < pieces.size()
          && pieces.get(j).data()
          && pieces.get(j).fromClient() == pieces.get(i).fromClient()) {
        j++;
      }
      if (j == i) {
        rewritten.add(pieces.get(i++));
        continue;
      }
      List<Piece> run = new ArrayList<>();
      for (Piece p : pieces.subList(i, j)) {
        if (dropInterior && p.interior() && run.size() % 2 == 1) {
          dropped += payloadLength(p.frame());
          continue; // lost by the capture
        }
        run.add(p);
      }
      if (run.size() >= 2) {
        Piece first = run.remove(0); // delayed: it arrives last in its run
        run.add(first);
        delayed++;
      }
      for (int k = 0; k + 1 < run.size(); k += 3) {
        Piece a = run.get(k);
        run.set(k, run.get(k + 1));
        run.set(k + 1, a);
        reordered++;
      }
      if (!run.isEmpty()) {
        run.add(run.get(run.size() / 2)); // a retransmission the capture saw twice
        duplicated++;
      }
      rewritten.addAll(run);
      i = j;
    }
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(fileHeader);
    long micros = 1_700_000_000_000_000L;
    for (Piece p : rewritten) {
      ByteBuffer h = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
      h.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000));
      h.putInt(p.frame().length).putInt(p.frame().length);
      o.writeBytes(h.array());
      o.writeBytes(p.frame());
      micros += 1_000;
    }
    Files.write(out, o.toByteArray());
    return new Rewritten(rewritten.size(), reordered, delayed, duplicated, dropped);
  }

  /**
   * Follows one direction's frames through its byte stream: for each piece, whether all of its
   * bytes lie in a frame's body past the header ({@link #HEADER} bytes), where losing them loses no
   * length, no opcode, no xid and no error code.
   */
  private static final class FrameBoundaries {
    long streamStart = -1; // sequence number of the stream's first byte
    long lengthAt; // stream offset of the next frame's length
    long bodyEnd; // stream offset just past the current frame's body
    final ByteArrayOutputStream lengthBytes = new ByteArrayOutputStream();

    /** Feeds {@code payload}, in order, at stream offset {@code off}; true if all interior. */
    boolean feed(long off, byte[] payload) {
      boolean interior = true;
      for (int k = 0; k < payload.length; k++) {
        long at = off + k;
        if (at < lengthAt) {
          interior &= at - (bodyEnd - bodyLength) >= HEADER;
          continue;
        }
        interior = false; // a length byte
        lengthBytes.write(payload[k]);
        if (lengthBytes.size() == 4) {
          bodyLength = ByteBuffer.wrap(lengthBytes.toByteArray()).getInt();
          bodyEnd = at + 1 + bodyLength;
          lengthAt = bodyEnd;
          lengthBytes.reset();
        }
      }
      return interior;
    }

    long bodyLength;
  }

  /** The reply header (xid, zxid, err); a request's (xid, type) is shorter. */
  private static final int HEADER = 16;

  /** Cuts one packet into pieces (or keeps it whole if it has no payload). */
  private static void cut(
      byte[] p, int serverPort, FrameBoundaries client, FrameBoundaries server, List<Piece> out) {
    ByteBuffer b = ByteBuffer.wrap(p);
    int ip = 14;
    if (b.getShort(12) != 0x0800 || (p[ip] & 0xf0) != 0x40 || p[ip + 9] != 6) {
      return; // not IPv4 TCP
    }
    int ihl = (p[ip] & 0x0f) * 4;
    int tcp = ip + ihl;
    int dataOffset = ((p[tcp + 12] & 0xf0) >> 4) * 4;
    int payloadAt = tcp + dataOffset;
    int payloadLength = (b.getShort(ip + 2) & 0xffff) - ihl - dataOffset;
    boolean fromClient = (b.getShort(tcp + 2) & 0xffff) == serverPort;
    long seq = b.getInt(tcp + 4) & 0xffffffffL;
    FrameBoundaries frames = fromClient ? client : server;
    if ((p[tcp + 13] & 0x02) != 0) {
      frames.streamStart = seq + 1; // SYN
    }
    if (payloadLength <= 0) {
      out.add(new Piece(p, fromClient, false, false));
      return;
    }
    if (frames.streamStart < 0) {
      frames.streamStart = seq;
    }
    for (int off = 0; off < payloadLength; off += PIECE) {
      int n = Math.min(PIECE, payloadLength - off);
      byte[] chunk = new byte[n];
      System.arraycopy(p, payloadAt + off, chunk, 0, n);
      long streamOffset = (seq - frames.streamStart) + off;
      boolean interior = frames.feed(streamOffset, chunk);
      boolean last = off + n == payloadLength;
      byte[] piece = new byte[payloadAt + n];
      System.arraycopy(p, 0, piece, 0, payloadAt);
      System.arraycopy(chunk, 0, piece, payloadAt, n);
      ByteBuffer pb = ByteBuffer.wrap(piece);
      pb.putShort(ip + 2, (short) (ihl + dataOffset + n));
      pb.putInt(tcp + 4, (int) (seq + off));
      if (!last) {
        piece[tcp + 13] &= ~0x09; // FIN and PSH only on the last piece
      }
      checksums(piece, ip, ihl, tcp, dataOffset + n);
      out.add(new Piece(piece, fromClient, true, interior));
    }
  }

  private static int payloadLength(byte[] frame) {
    ByteBuffer b = ByteBuffer.wrap(frame);
    int ip = 14;
    int ihl = (frame[ip] & 0x0f) * 4;
    int dataOffset = ((frame[ip + ihl + 12] & 0xf0) >> 4) * 4;
    return (b.getShort(ip + 2) & 0xffff) - ihl - dataOffset;
  }

  private static void checksums(byte[] p, int ip, int ihl, int tcp, int tcpLength) {
    ByteBuffer b = ByteBuffer.wrap(p);
    b.putShort(ip + 10, (short) 0);
    b.putShort(ip + 10, (short) ~sum(p, ip, ihl, 0));
    b.putShort(tcp + 16, (short) 0);
    long pseudo = sum(p, ip + 12, 8, 0) + 6 + tcpLength;
    b.putShort(tcp + 16, (short) ~sum(p, tcp, tcpLength, pseudo));
  }

  /** The ones' complement sum of 16-bit words, folded. */
  private static int sum(byte[] p, int off, int len, long start) {
    long s = start;
    for (int k = 0; k + 1 < len; k += 2) {
      s += ((p[off + k] & 0xff) << 8) | (p[off + k + 1] & 0xff);
    }
    if ((len & 1) == 1) {
      s += (p[off + len - 1] & 0xff) << 8;
    }
    while ((s >> 16) != 0) {
      s = (s & 0xffff) + (s >> 16);
    }
    return (int) s;
  }
}
