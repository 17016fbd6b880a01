package dev.zkdigest.capture;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads pcap (microsecond and nanosecond, either byte order) and pcapng (section, interface,
 * enhanced and simple packet blocks; per-interface link type and timestamp resolution) from a
 * stream, one packet at a time into a reused buffer, so memory stays bounded whatever the file
 * size. A file cut short ends the packets with a warning instead of an error.
 */
public final class CaptureFileReader implements PacketSource {
  private static final int PCAP_MAGIC_US = 0xa1b2c3d4;
  private static final int PCAP_MAGIC_NS = 0xa1b23c4d;
  private static final int PCAPNG_SHB = 0x0a0d0d0a;
  private static final int PCAPNG_BYTE_ORDER = 0x1a2b3c4d;

  /** No real packet is bigger; a larger length means the file is corrupt. */
  private static final int MAX_PACKET = 256 * 1024;

  private static final int MAX_BLOCK = 16 << 20;

  /** Bytes read from the file at a time. */
  static final int CHUNK = 1 << 20;

  /** Bytes read to find a file's first packet: its headers and one packet, mostly. */
  private static final int PROBE_CHUNK = 16 << 10;

  private final String name;
  private final ByteWindow in;
  private final boolean pcapng;
  private boolean swapped;
  private boolean nanosResolution;
  private int linkType;
  private final List<long[]> interfaces = new ArrayList<>(); // {linkType, unitsPerSecond}
  private byte[] buf;
  private int bufOff;
  private final byte[] header = new byte[28];
  private final Packet packet = new Packet();
  private long packets;
  private String warning;
  private boolean done;

  private CaptureFileReader(String name, ByteWindow in, int magic, byte[] head)
      throws CaptureException, IOException {
    this.name = name;
    this.in = in;
    if (magic == PCAPNG_SHB) {
      pcapng = true;
      readSectionHeaderRest(head);
    } else {
      pcapng = false;
      readPcapHeaderRest(magic, head);
    }
  }

  /** Opens a capture file, with a one-line message for every way that can fail. */
  public static CaptureFileReader open(Path path) throws CaptureException {
    return open(path.toString(), openStream(path));
  }

  /**
   * Opens a file (or a FIFO, {@code tcpdump -w - | zkdigest replay /dev/stdin}) for reading, with a
   * one-line message for every way that can fail.
   */
  /** The file name that means standard input ({@code tcpdump -w - | zkdigest replay -}). */
  public static final String STDIN = "-";

  static InputStream openStream(Path path) throws CaptureException {
    String name = path.toString();
    if (STDIN.equals(name)) {
      return new PartialReads(new FileInputStream(FileDescriptor.in));
    }
    if (Files.isDirectory(path)) {
      throw new CaptureException(name + ": is a directory, not a capture file");
    }
    // FileInputStream reads a third faster than Files.newInputStream in 1 MiB reads (BENCHMARKS.md,
    // replay); it opens once, so a FIFO's writer never sees its reader go away.
    try {
      return new FileInputStream(path.toFile());
    } catch (FileNotFoundException e) {
      if (!Files.exists(path)) {
        throw new CaptureException(name + ": no such file");
      }
      if (!Files.isReadable(path)) {
        throw new CaptureException(name + ": permission denied");
      }
      throw new CaptureException(name + ": cannot open: " + e.getMessage());
    }
  }

  /**
   * The timestamp of a file's first packet, {@link Long#MAX_VALUE} when it has none; a read of its
   * first bytes, not of a whole chunk. Fails as {@link #open(Path)} would.
   */
  public static long firstPacketNanos(Path path) throws CaptureException {
    try (CaptureFileReader r =
        open(path.toString(), ChunkSource.of(openStream(path), PROBE_CHUNK))) {
      Packet p = r.next();
      return p == null ? Long.MAX_VALUE : p.nanos();
    }
  }

  /** {@code in}, each read taking what a pipe's writer has written so far. */
  static InputStream partialReads(InputStream in) {
    return new PartialReads(in);
  }

  public static CaptureFileReader open(String name, InputStream stream) throws CaptureException {
    return open(name, ChunkSource.of(stream, CHUNK));
  }

  /** Reads a capture from chunks (shared with other readers, see {@link SharedChunks}). */
  static CaptureFileReader open(String name, ChunkSource chunks) throws CaptureException {
    byte[] head = new byte[24];
    ByteWindow in = new ByteWindow(chunks);
    try {
      int n = in.read(head, 0, 4);
      if (n == 0) {
        throw new CaptureException(name + ": empty file, not a capture");
      }
      if (n < 4) {
        throw new CaptureException(name + ": too short to be a pcap or pcapng file");
      }
      int magic = intBE(head, 0);
      return new CaptureFileReader(name, in, magic, head);
    } catch (IOException e) {
      closeQuietly(in);
      throw new CaptureException(name + ": read error: " + e.getMessage());
    } catch (CaptureException e) {
      closeQuietly(in);
      throw e;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String warning() {
    return warning;
  }

  public long packets() {
    return packets;
  }

  @Override
  public Packet next() throws CaptureException {
    if (done) {
      return null;
    }
    try {
      Packet p = pcapng ? nextPcapng() : nextPcap();
      if (p == null) {
        done = true;
      } else {
        packets++;
      }
      return p;
    } catch (EOFException e) {
      done = true;
      warning = name + ": truncated after " + packets + " packets (the last one is cut short)";
      return null;
    } catch (IOException e) {
      done = true;
      warning = name + ": read error after " + packets + " packets: " + e.getMessage();
      return null;
    }
  }

  @Override
  public void close() {
    closeQuietly(in);
  }

  // ---- pcap ----

  private void readPcapHeaderRest(int magic, byte[] head) throws IOException, CaptureException {
    if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS) {
      swapped = false;
    } else if (Integer.reverseBytes(magic) == PCAP_MAGIC_US
        || Integer.reverseBytes(magic) == PCAP_MAGIC_NS) {
      swapped = true;
      magic = Integer.reverseBytes(magic);
    } else {
      throw new CaptureException(name + ": not a pcap or pcapng file (unknown magic number)");
    }
    nanosResolution = magic == PCAP_MAGIC_NS;
    if (in.read(head, 4, 20) < 20) {
      throw new CaptureException(name + ": truncated pcap file header");
    }
    int snaplen = int32(head, 16);
    linkType = int32(head, 20) & 0x0fffffff;
    if (snaplen < 0) {
      throw new CaptureException(name + ": corrupt pcap header (snaplen " + snaplen + ")");
    }
  }

  private Packet nextPcap() throws IOException, CaptureException {
    int n = in.read(header, 0, 16);
    if (n == 0) {
      return null;
    }
    if (n < 16) {
      throw new EOFException();
    }
    long sec = int32(header, 0) & 0xffffffffL;
    long frac = int32(header, 4) & 0xffffffffL;
    int capLen = int32(header, 8);
    int origLen = int32(header, 12);
    if (capLen < 0 || capLen > MAX_PACKET || origLen < 0) {
      throw new CaptureException(
          name + ": corrupt packet record after " + packets + " packets (length " + capLen + ")");
    }
    readFully(capLen);
    long nanos = sec * 1_000_000_000L + (nanosResolution ? frac : frac * 1_000);
    return packet.set(nanos, linkType, buf, bufOff, capLen, Math.max(origLen, capLen));
  }

  // ---- pcapng ----

  private void readSectionHeaderRest(byte[] head) throws IOException, CaptureException {
    // Block length (4) and byte-order magic (4) follow the block type.
    if (in.read(head, 4, 8) < 8) {
      throw new CaptureException(name + ": truncated pcapng section header");
    }
    int bom = intBE(head, 8);
    if (bom == PCAPNG_BYTE_ORDER) {
      swapped = false;
    } else if (Integer.reverseBytes(bom) == PCAPNG_BYTE_ORDER) {
      swapped = true;
    } else {
      throw new CaptureException(name + ": not a pcapng file (bad byte-order magic)");
    }
    int blockLen = int32(head, 4);
    if (blockLen < 28 || blockLen > MAX_BLOCK || (blockLen & 3) != 0) {
      throw new CaptureException(name + ": corrupt pcapng section header");
    }
    skipFully(blockLen - 12);
    interfaces.clear();
  }

  private Packet nextPcapng() throws IOException, CaptureException {
    while (true) {
      int n = in.read(header, 0, 8);
      if (n == 0) {
        return null;
      }
      if (n < 8) {
        throw new EOFException();
      }
      int type = int32(header, 0);
      if (intBE(header, 0) == PCAPNG_SHB) {
        // A new section may switch byte order.
        byte[] head = new byte[12];
        System.arraycopy(header, 0, head, 0, 8);
        in.read(head, 8, 4);
        int bom = intBE(head, 8);
        swapped = Integer.reverseBytes(bom) == PCAPNG_BYTE_ORDER;
        int blockLen = int32(head, 4);
        if (blockLen < 28 || blockLen > MAX_BLOCK) {
          throw new CaptureException(name + ": corrupt pcapng section header");
        }
        skipFully(blockLen - 12);
        interfaces.clear();
        continue;
      }
      int blockLen = int32(header, 4);
      if (blockLen < 12 || blockLen > MAX_BLOCK || (blockLen & 3) != 0) {
        throw new CaptureException(
            name
                + ": corrupt pcapng block after "
                + packets
                + " packets (length "
                + blockLen
                + ")");
      }
      int bodyLen = blockLen - 12;
      readFully(bodyLen + 4); // body and trailing length
      int b0 = bufOff;
      if (int32(buf, b0 + bodyLen) != blockLen) {
        throw new CaptureException(
            name + ": corrupt pcapng block after " + packets + " packets (lengths disagree)");
      }
      switch (type) {
        case 1 -> interfaceDescription(b0, bodyLen);
        case 6 -> {
          if (bodyLen < 20) {
            throw new CaptureException(name + ": corrupt enhanced packet block");
          }
          int ifId = int32(buf, b0);
          long ts = ((long) int32(buf, b0 + 4) << 32) | (int32(buf, b0 + 8) & 0xffffffffL);
          int capLen = int32(buf, b0 + 12);
          int origLen = int32(buf, b0 + 16);
          if (capLen < 0 || capLen > bodyLen - 20 || ifId < 0 || ifId >= interfaces.size()) {
            throw new CaptureException(
                name + ": corrupt enhanced packet block after " + packets + " packets");
          }
          long[] itf = interfaces.get(ifId);
          return packet.set(
              toNanos(ts, itf[1]), (int) itf[0], buf, b0 + 20, capLen, Math.max(origLen, capLen));
        }
        case 3 -> {
          if (interfaces.isEmpty() || bodyLen < 4) {
            throw new CaptureException(name + ": corrupt simple packet block");
          }
          int origLen = int32(buf, b0);
          long[] itf = interfaces.get(0);
          int capLen = Math.min(origLen, bodyLen - 4);
          return packet.set(0, (int) itf[0], buf, b0 + 4, capLen, Math.max(origLen, capLen));
        }
        default -> {
          // Name resolution, statistics, custom blocks: nothing for us.
        }
      }
    }
  }

  private void interfaceDescription(int b0, int bodyLen) throws CaptureException {
    if (bodyLen < 8) {
      throw new CaptureException(name + ": corrupt interface description block");
    }
    int link = (swapped ? Short.reverseBytes(shortBE(buf, b0)) : shortBE(buf, b0)) & 0xffff;
    long unitsPerSecond = 1_000_000;
    int p = 8;
    while (p + 4 <= bodyLen) {
      int code =
          (swapped ? Short.reverseBytes(shortBE(buf, b0 + p)) : shortBE(buf, b0 + p)) & 0xffff;
      int len =
          (swapped ? Short.reverseBytes(shortBE(buf, b0 + p + 2)) : shortBE(buf, b0 + p + 2))
              & 0xffff;
      if (code == 0) {
        break;
      }
      if (code == 9 && len >= 1 && p + 4 < bodyLen) {
        int v = buf[b0 + p + 4] & 0xff;
        unitsPerSecond = (v & 0x80) != 0 ? 1L << Math.min(62, v & 0x7f) : pow10(v & 0x7f);
      }
      p += 4 + ((len + 3) & ~3);
    }
    interfaces.add(new long[] {link, unitsPerSecond});
  }

  private static long pow10(int e) {
    long v = 1;
    for (int i = 0; i < Math.min(e, 18); i++) {
      v *= 10;
    }
    return v;
  }

  private static long toNanos(long ts, long unitsPerSecond) {
    if (unitsPerSecond == 1_000_000_000L) {
      return ts;
    }
    if (unitsPerSecond == 1_000_000L) {
      return ts * 1_000;
    }
    long sec = ts / unitsPerSecond;
    long rem = ts % unitsPerSecond;
    return sec * 1_000_000_000L + (long) (rem * (1e9 / unitsPerSecond));
  }

  // ---- bytes ----

  /** Makes the next {@code n} bytes available at {@code buf[bufOff..]}, in place. */
  private void readFully(int n) throws IOException {
    if (in.ensure(n) < n) {
      throw new EOFException();
    }
    buf = in.array();
    bufOff = in.position();
    in.advance(n);
  }

  private void skipFully(long n) throws IOException {
    if (!in.skip(n)) {
      throw new EOFException();
    }
  }

  private int int32(byte[] b, int off) {
    int v = intBE(b, off);
    return swapped ? Integer.reverseBytes(v) : v;
  }

  static int intBE(byte[] b, int off) {
    return ((b[off] & 0xff) << 24)
        | ((b[off + 1] & 0xff) << 16)
        | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  private static short shortBE(byte[] b, int off) {
    return (short) (((b[off] & 0xff) << 8) | (b[off + 1] & 0xff));
  }

  private static void closeQuietly(ByteWindow in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing useful to do
    }
  }

  /**
   * A pipe delivers what the writer has written so far: chunks end there instead of waiting for a
   * full one, so packets from a live {@code tcpdump -w -} are decoded as they come.
   */
  private static final class PartialReads extends FilterInputStream {
    PartialReads(InputStream in) {
      super(in);
    }

    @Override
    public int readNBytes(byte[] b, int off, int len) throws java.io.IOException {
      return Math.max(0, in.read(b, off, len));
    }
  }
}
