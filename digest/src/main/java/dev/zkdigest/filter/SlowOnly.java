package dev.zkdigest.filter;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;

/**
 * Passes on only the exchanges whose reply came at least {@code slowUs} after the request ({@code
 * --show --slow}); everything else is dropped.
 */
public final class SlowOnly implements TrafficListener {
  private final long slowNanos;
  private final TrafficListener next;

  public SlowOnly(long slowUs, TrafficListener next) {
    this.slowNanos = slowUs * 1_000;
    this.next = next;
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    if (reply.timeNanos() - r.timeNanos() >= slowNanos) {
      next.exchange(c, s, r, reply);
    }
  }
}
