package dev.zkdigest.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes that frames in progress may hold beyond each connection's small buffer, shared by all the
 * connections of one front end, so memory is bounded by the budget and not by the number of
 * connections times the largest frame. A frame that finds the budget spent keeps only its first
 * {@link FrameDecoder#SMALL} bytes: it is still counted, its header, path and counts still decode.
 *
 * <p>Threading: thread-safe; taken and given back only for frames larger than the small buffer.
 */
public final class RetainBudget {
  private final AtomicLong left;
  private final long total;

  public RetainBudget(long bytes) {
    this.total = bytes;
    this.left = new AtomicLong(bytes);
  }

  /** Takes {@code n} bytes if there are that many left. */
  boolean tryTake(int n) {
    long now = left.get();
    while (now >= n) {
      if (left.compareAndSet(now, now - n)) {
        return true;
      }
      now = left.get();
    }
    return false;
  }

  void give(int n) {
    left.addAndGet(n);
  }

  /** Bytes currently lent out, for tests and memory accounting. */
  public long inUse() {
    return total - left.get();
  }
}
