package dev.zkdigest.digest;

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
    DigestSnapshot phase = DigestSnapshot.merge(phases, limits);
    total = DigestSnapshot.merge(total, phase, limits);
    if (intervals) {
      sinceInterval = DigestSnapshot.merge(sinceInterval, phase, limits);
    }
  }
}
