package dev.zkdigest.protocol;

/**
 * Limits that bound what one connection's decoding may hold.
 *
 * @param maxFrame frames declaring more body bytes than this are counted as decode errors and
 *     skipped (like ZooKeeper's {@code jute.maxbuffer}, 1 MiB, plus slack)
 * @param retainLimit at most this many bytes of one frame body are kept for decoding
 * @param maxPending at most this many requests awaiting their reply are remembered per connection
 * @param retainBudget bytes that all of a front end's frames in progress may hold together beyond
 *     each connection's small buffer (see {@link RetainBudget})
 */
public record ProtocolConfig(int maxFrame, int retainLimit, int maxPending, long retainBudget) {
  public static final int DEFAULT_MAX_FRAME = (1 << 20) + 1024;
  public static final ProtocolConfig DEFAULTS =
      new ProtocolConfig(DEFAULT_MAX_FRAME, 64 * 1024, 16_384, 16L << 20);

  public ProtocolConfig {
    if (maxFrame < 16 || retainLimit < 64 || maxPending < 1 || retainBudget < 0) {
      throw new IllegalArgumentException("protocol limits too small");
    }
  }

  public ProtocolConfig(int maxFrame, int retainLimit, int maxPending) {
    this(maxFrame, retainLimit, maxPending, DEFAULTS.retainBudget);
  }

  public ProtocolConfig withMaxFrame(int maxFrame) {
    return new ProtocolConfig(maxFrame, retainLimit, maxPending, retainBudget);
  }
}
