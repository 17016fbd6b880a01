package dev.zkdigest.digest;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * One run's digest, however many threads feed it: each feeding thread records into a {@link
 * Recorder} of its own, and readers (interval reports, the metrics endpoint, the final report) take
 * immutable snapshots. Every mode wires its digest this way: replay with a recorder per shard, the
 * proxy one per event loop, the sniffer and the agent one for their decoding thread.
 *
 * <p>Every read flips every recorder, merges what they recorded and adds it to the running total
 * (and, for interval reports, to the current interval); {@link #total} returns the total and {@link
 * #interval} the interval, with the front end's own counters.
 *
 * <p>Threading: recorders are single-writer; the reading methods are synchronized (readers take
 * turns, writers never wait for them).
 */
public final class Recording {
  private final Digest.Limits limits;
  private final List<Recorder> recorders = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Recorder> perThread;
  private final boolean intervals;
  private volatile Supplier<Map<String, Long>> frontEnd = Map::of;
  private DigestSnapshot total;
  private DigestSnapshot sinceInterval;

  /**
   * Whether {@link #total} holds a collected phase yet, and whether the interval is still empty.
   */
  private boolean collected;

  private boolean sinceIntervalEmpty = true;

  /** A recording whose reader takes only totals. */
  public Recording(Digest.Limits limits) {
    this(limits, false);
  }

  /**
   * @param intervals whether {@link #interval} will be asked for (interval reports); then what
   *     every flip collects is also kept apart until the next interval
   */
  public Recording(Digest.Limits limits, boolean intervals) {
    this.limits = limits;
    this.intervals = intervals;
    this.perThread = ThreadLocal.withInitial(this::newRecorder);
    this.total = DigestSnapshot.empty(limits);
    this.sinceInterval = total;
  }

  public Digest.Limits limits() {
    return limits;
  }

  /** A recorder for one more feeding thread. */
  public Recorder newRecorder() {
    Recorder r = new Recorder(() -> new Digest(limits));
    recorders.add(r);
    return r;
  }

  /** The calling thread's recorder, made on its first call (proxy event loops). */
  public Recorder forCurrentThread() {
    return perThread.get();
  }

  /**
   * A listener that records into the calling thread's recorder, for code that hands one listener to
   * several feeding threads (tests, embedders). Each call finds its thread's recorder.
   */
  public TrafficListener listener() {
    return new PerThread();
  }

  private final class PerThread implements TrafficListener {
    @Override
    public void opened(ConnectionMeta c) {
      forCurrentThread().opened(c);
    }

    @Override
    public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
      forCurrentThread().bytes(c, d, n, nanos);
    }

    @Override
    public void request(ConnectionMeta c, long s, ZkRequest r) {
      forCurrentThread().request(c, s, r);
    }

    @Override
    public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
      forCurrentThread().exchange(c, s, r, reply);
    }

    @Override
    public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
      forCurrentThread().unmatched(c, s, reply);
    }

    @Override
    public void event(ConnectionMeta c, long s, WatchEvent e) {
      forCurrentThread().event(c, s, e);
    }

    @Override
    public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
      forCurrentThread().fourLetterWord(c, cmd, req, bytes, end);
    }

    @Override
    public void pending(ConnectionMeta c, long s, ZkRequest r) {
      forCurrentThread().pending(c, s, r);
    }

    @Override
    public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
      forCurrentThread().decodeError(c, d, reason, nanos);
    }

    @Override
    public void skipped(ConnectionMeta c, Direction d, long bytes) {
      forCurrentThread().skipped(c, d, bytes);
    }

    @Override
    public void closed(ConnectionMeta c, long nanos) {
      forCurrentThread().closed(c, nanos);
    }

    @Override
    public void ignored(String server, int flows, long bytes) {
      forCurrentThread().ignored(server, flows, bytes);
    }
  }

  /** Where the front end's own counters come from (read at each snapshot). */
  public void frontEnd(Supplier<Map<String, Long>> stats) {
    this.frontEnd = stats;
  }

  /**
   * What was recorded since the last interval (or since the start), all recorders together. Only
   * for a recording made with {@code intervals}.
   */
  public synchronized DigestSnapshot interval() {
    if (!intervals) {
      throw new IllegalStateException("this recording keeps no intervals");
    }
    collect();
    DigestSnapshot iv = sinceInterval;
    sinceInterval = DigestSnapshot.empty(limits);
    sinceIntervalEmpty = true;
    return iv.withFrontEnd(frontEnd.get());
  }

  /** Everything recorded so far, with the front end's counters as they are now. */
  public synchronized DigestSnapshot total() {
    collect();
    return total.withFrontEnd(frontEnd.get());
  }

  /** Ends every recorder's phase and adds what they recorded to the total (and the interval). */
  private void collect() {
    List<DigestSnapshot> phases = new java.util.ArrayList<>();
    for (Recorder r : recorders) {
      phases.add(r.flip());
    }
    // One recorder's phase is already a digest within the limits, and nothing added to nothing is
    // itself: a replay's one read at the end merges only what it must (merging copies every table).
    DigestSnapshot phase =
        phases.size() == 1 ? phases.get(0) : DigestSnapshot.merge(phases, limits);
    total = collected ? DigestSnapshot.merge(total, phase, limits) : phase;
    if (intervals) {
      sinceInterval =
          sinceIntervalEmpty ? phase : DigestSnapshot.merge(sinceInterval, phase, limits);
      sinceIntervalEmpty = false;
    }
    collected = true;
  }
}
