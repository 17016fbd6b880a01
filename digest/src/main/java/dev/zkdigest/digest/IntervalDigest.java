package dev.zkdigest.digest;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;

/**
 * Keeps a running total and the current interval side by side, for {@code --interval}: every event
 * goes to both, and {@link #rotate} hands back the finished interval and starts a new one.
 */
public final class IntervalDigest implements TrafficListener {
  private final Digest total;
  private volatile Digest current;

  public IntervalDigest(Digest total) {
    this(total, true);
  }

  /** With {@code intervals} false, only the total is kept (no second digest per event). */
  public IntervalDigest(Digest total, boolean intervals) {
    this.total = total;
    this.current = intervals ? new Digest(total.limits()) : null;
  }

  public Digest total() {
    return total;
  }

  /** The interval just ended; events from now on go to a fresh one. */
  public Digest rotate() {
    Digest done = current;
    if (done == null) {
      return new Digest(total.limits());
    }
    current = new Digest(total.limits());
    return done;
  }

  @Override
  public void opened(ConnectionMeta c) {
    total.opened(c);
    Digest cur = current;
    if (cur != null) {
      cur.opened(c);
    }
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    total.bytes(c, d, n, nanos);
    Digest cur = current;
    if (cur != null) {
      cur.bytes(c, d, n, nanos);
    }
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    total.request(c, s, r);
    Digest cur = current;
    if (cur != null) {
      cur.request(c, s, r);
    }
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    total.exchange(c, s, r, reply);
    Digest cur = current;
    if (cur != null) {
      cur.exchange(c, s, r, reply);
    }
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    total.unmatched(c, s, reply);
    Digest cur = current;
    if (cur != null) {
      cur.unmatched(c, s, reply);
    }
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    total.event(c, s, e);
    Digest cur = current;
    if (cur != null) {
      cur.event(c, s, e);
    }
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    total.fourLetterWord(c, cmd, req, bytes, end);
    Digest cur = current;
    if (cur != null) {
      cur.fourLetterWord(c, cmd, req, bytes, end);
    }
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    total.pending(c, s, r);
    Digest cur = current;
    if (cur != null) {
      cur.pending(c, s, r);
    }
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    total.decodeError(c, d, reason, nanos);
    Digest cur = current;
    if (cur != null) {
      cur.decodeError(c, d, reason, nanos);
    }
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    total.skipped(c, d, bytes);
    Digest cur = current;
    if (cur != null) {
      cur.skipped(c, d, bytes);
    }
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    total.closed(c, nanos);
    Digest cur = current;
    if (cur != null) {
      cur.closed(c, nanos);
    }
  }
}
