package dev.zkdigest.capture;

/**
 * A TCP segment parsed out of a packet. Mutable and reused by {@link PacketDecoder} so the per
 * packet path allocates nothing; addresses are kept as two longs (IPv4 in the low word).
 *
 * <p>Threading: confined to the decoding thread.
 */
public final class TcpSegment {
  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int ACK = 0x10;

  public long nanos;
  public boolean ipv6;
  public long srcHi;
  public long srcLo;
  public long dstHi;
  public long dstLo;
  public int srcPort;
  public int dstPort;
  public int seq;
  public int ack;
  public int flags;
  public byte[] data;
  public int payloadOffset;

  /** Payload bytes present in the capture. */
  public int payloadLength;

  /** Payload bytes the segment carried on the wire (more when the snaplen cut it). */
  public int payloadOnWire;

  public boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
