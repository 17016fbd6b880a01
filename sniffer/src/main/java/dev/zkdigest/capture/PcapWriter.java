package dev.zkdigest.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes classic pcap (little-endian, microsecond or nanosecond timestamps). */
public final class PcapWriter implements Closeable {
  private final OutputStream out;
  private final boolean nanos;
  private final ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);

  public PcapWriter(OutputStream out, int linkType, int snaplen, boolean nanos) throws IOException {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.nanos = nanos;
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4);
    h.putShort((short) 2).putShort((short) 4);
    h.putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
    this.out.write(h.array());
  }

  public void write(long epochNanos, byte[] data, int off, int len, int originalLength)
      throws IOException {
    header.clear();
    header.putInt((int) (epochNanos / 1_000_000_000L));
    long frac = epochNanos % 1_000_000_000L;
    header.putInt((int) (nanos ? frac : frac / 1_000));
    header.putInt(len).putInt(originalLength);
    out.write(header.array());
    out.write(data, off, len);
  }

  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
