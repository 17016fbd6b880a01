package dev.zkdigest.cli;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * {@code replay --interval}: ends the recording's interval when the first timestamp past it
 * arrives, and hands the interval to a reporter. Capture time, not wall time, so a file and the
 * same traffic piped from tcpdump give the same intervals, and the intervals line up with the
 * packets' own clock however the pipe buffers them; a quiet link reports when traffic resumes. It
 * only watches the clock: the recording's recorder, fed after it, counts the messages.
 *
 * <p>Threading: the one thread that feeds the recording (replay with an interval has one).
 */
final class CaptureTimeIntervals implements TrafficListener {
  private final long intervalNanos;
  private final Recording recording;
  private final Consumer<DigestSnapshot> reporter;

  /** The end of the current interval in capture nanoseconds; 0 before the first timestamp. */
  private long boundary;

  CaptureTimeIntervals(Duration interval, Recording recording, Consumer<DigestSnapshot> reporter) {
    this.intervalNanos = interval.toNanos();
    this.recording = recording;
    this.reporter = reporter;
  }

  /** Reports the interval that ended at or before {@code nanos}, then starts the one it is in. */
  private void at(long nanos) {
    if (boundary == 0) {
      boundary = nanos + intervalNanos;
      return;
    }
    if (nanos < boundary) {
      return;
    }
    // The recorder is fed on this thread, after this listener: no write is in flight.
    reporter.accept(recording.interval());
    // A gap of several intervals starts the next one at the timestamp's own interval.
    long behind = (nanos - boundary) / intervalNanos;
    boundary += (behind + 1) * intervalNanos;
  }

  @Override
  public void opened(ConnectionMeta c) {
    at(c.openedNanos());
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    at(nanos);
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    at(r.timeNanos());
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    at(reply.timeNanos());
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    at(reply.timeNanos());
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    at(e.timeNanos());
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    at(end);
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    at(nanos);
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    at(nanos);
  }
}
