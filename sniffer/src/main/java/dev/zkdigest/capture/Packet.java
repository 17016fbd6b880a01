package dev.zkdigest.capture;

/**
 * One captured packet, as a view into a buffer. Readers reuse one view per source and refill it on
 * every read, so the per-packet path allocates nothing: copy what must outlive the next read.
 *
 * <p>Threading: confined to the thread that reads its source.
 */
public final class Packet {
  private long nanos;
  private int linkType;
  private byte[] data;
  private int offset;
  private int length;
  private int originalLength;

  /** An empty view, for a reader to fill. */
  Packet() {}

  /**
   * @param linkType the DLT / LINKTYPE value of the interface it was captured on
   * @param originalLength its length on the wire, which exceeds {@code length} when the snaplen cut
   *     it
   */
  public Packet(long nanos, int linkType, byte[] data, int offset, int length, int originalLength) {
    set(nanos, linkType, data, offset, length, originalLength);
  }

  Packet set(long nanos, int linkType, byte[] data, int offset, int length, int originalLength) {
    this.nanos = nanos;
    this.linkType = linkType;
    this.data = data;
    this.offset = offset;
    this.length = length;
    this.originalLength = originalLength;
    return this;
  }

  /** Epoch nanoseconds of the capture timestamp. */
  public long nanos() {
    return nanos;
  }

  public int linkType() {
    return linkType;
  }

  public byte[] data() {
    return data;
  }

  public int offset() {
    return offset;
  }

  /** Bytes captured. */
  public int length() {
    return length;
  }

  public int originalLength() {
    return originalLength;
  }
}
