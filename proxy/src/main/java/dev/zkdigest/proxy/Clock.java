package dev.zkdigest.proxy;

/** Epoch nanoseconds with nanoTime's resolution and monotonicity, for latencies at the proxy. */
final class Clock {
  private static final long BASE_EPOCH_NANOS;
  private static final long BASE_NANO_TIME;

  static {
    java.time.Instant now = java.time.Instant.now();
    BASE_NANO_TIME = System.nanoTime();
    BASE_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private Clock() {}

  static long epochNanos() {
    return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_NANO_TIME);
  }
}
