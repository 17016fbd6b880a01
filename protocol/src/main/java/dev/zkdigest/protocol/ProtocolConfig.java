package dev.zkdigest.protocol;

/**
 * Limits that bound what one connection's decoding may hold.
 *
 * @param maxFrame frames declaring more body bytes than this are counted as decode errors and
 *     skipped (like ZooKeeper's {@code jute.maxbuffer}, 1 MiB, plus slack)
 * @param retainLimit at most this many bytes of one frame body are kept for decoding
 * @param maxPending at most this many requests awaiting their reply are remembered per connection
 */
public record ProtocolConfig(int maxFrame, int retainLimit, int maxPending) {
  public static final int DEFAULT_MAX_FRAME = (1 << 20) + 1024;
  public static final ProtocolConfig DEFAULTS =
      new ProtocolConfig(DEFAULT_MAX_FRAME, 64 * 1024, 16_384);

  public ProtocolConfig {
    if (maxFrame < 16 || retainLimit < 64 || maxPending < 1) {
      throw new IllegalArgumentException("protocol limits too small");
    }
  }

  public ProtocolConfig withMaxFrame(int maxFrame) {
    return new ProtocolConfig(maxFrame, retainLimit, maxPending);
  }
}
