package dev.zkdigest.agent;

/** Epoch nanoseconds with nanoTime's resolution and monotonicity, taken at the socket call. */
final class EpochClock {
  private static final long BASE_EPOCH_NANOS;
  private static final long BASE_NANO_TIME;

  static {
    java.time.Instant now = java.time.Instant.now();
    BASE_NANO_TIME = System.nanoTime();
    BASE_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private EpochClock() {}

  static long nanos() {
    return BASE_EPOCH_NANOS + (System.nanoTime() - BASE_NANO_TIME);
  }
}
