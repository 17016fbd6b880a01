package dev.zkdigest.quorum;

/**
 * One {@code QuorumPacket} ({@code type, zxid, data, authinfo} in {@code zookeeper.jute}).
 *
 * @param dataLength the data's length on the wire, -1 for none
 * @param bytes the packet's bytes on the wire
 * @param nanos when its last byte was seen
 * @param complete false when the capture lost some of its bytes
 */
public record ZabPacket(
    ZabType type,
    long zxid,
    int dataLength,
    ZabBody body,
    long bytes,
    long nanos,
    boolean complete) {

  /** The epoch part of the zxid. */
  public long epoch() {
    return zxid >>> 32;
  }
}
