package dev.zkdigest.cli;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code replay --interval}: a digest per interval of <em>capture</em> time, handed to a reporter
 * when the first timestamp past the interval arrives. Capture time, not wall time, so a file and
 * the same traffic piped from tcpdump give the same intervals, and the intervals line up with the
 * packets' own clock however the pipe buffers them; a quiet link reports when traffic resumes.
 *
 * <p>Threading: one thread (replay with an interval runs one decoding thread). The running total is
 * a separate digest fed beside this one.
 */
final class CaptureTimeIntervals implements TrafficListener {
  private final long intervalNanos;
  private final Digest.Limits limits;
  private final Consumer<Digest> reporter;
  private Digest current;

  /** The end of the current interval in capture nanoseconds; 0 before the first timestamp. */
  private long boundary;

  CaptureTimeIntervals(Duration interval, Digest.Limits limits, Consumer<Digest> reporter) {
    this.intervalNanos = interval.toNanos();
    this.limits = limits;
    this.reporter = reporter;
    this.current = new Digest(limits);
  }

  /** Reports every interval that ended at or before {@code nanos}, then starts the one it is in. */
  private void at(long nanos) {
    if (boundary == 0) {
      boundary = nanos + intervalNanos;
      return;
    }
    if (nanos < boundary) {
      return;
    }
    reporter.accept(current);
    current = new Digest(limits);
    // A gap of several intervals starts the next one at the timestamp's own interval.
    long behind = (nanos - boundary) / intervalNanos;
    boundary += (behind + 1) * intervalNanos;
  }

  @Override
  public void opened(ConnectionMeta c) {
    at(c.openedNanos());
    current.opened(c);
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    at(nanos);
    current.bytes(c, d, n, nanos);
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    at(r.timeNanos());
    current.request(c, s, r);
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    at(reply.timeNanos());
    current.exchange(c, s, r, reply);
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    at(reply.timeNanos());
    current.unmatched(c, s, reply);
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    at(e.timeNanos());
    current.event(c, s, e);
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    at(end);
    current.fourLetterWord(c, cmd, req, bytes, end);
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    current.pending(c, s, r);
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    at(nanos);
    current.decodeError(c, d, reason, nanos);
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    current.skipped(c, d, bytes);
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    at(nanos);
    current.closed(c, nanos);
  }
}
