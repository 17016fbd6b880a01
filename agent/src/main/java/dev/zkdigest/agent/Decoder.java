package dev.zkdigest.agent;

import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RetainBudget;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkConnection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's decoding thread: takes records from the hand-off and feeds each connection's bytes to
 * its {@link ZkConnection} (the protocol core, as in every front end), which reports to the digest.
 * Bytes the hand-off dropped show up as a jump in a direction's stream offset and are passed on as
 * a gap, so the connection resynchronises on its next frame.
 *
 * <p>Threading: everything below is confined to the decoding thread, except {@link #stop} and the
 * counters.
 */
final class Decoder implements Handoff.Reader {
  /** Bytes handed to the decoder per poll, between checks of the clock and the stop flag. */
  private static final int BATCH = 256 << 10;

  /**
   * How long the thread sleeps when the hand-off is empty: from the first, doubling while it stays
   * empty up to the last (an idle application costs the agent 100 wake-ups a second, not 1,000).
   * Even at the longest, 8 MiB of hand-off holds 10 ms of 800 MB/s.
   */
  private static final long IDLE_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

  private static final long IDLE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /** How often connections closed without the agent seeing it are looked for. */
  private static final long SWEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Bytes a direction needs in one piece to be judged while its frame boundaries are unknown (a
   * reply header and its length, or a handshake's). ZooKeeper's NIO code reads a frame's 4-byte
   * length and its body in two calls, so a shorter chunk is held and joined to the next.
   */
  private static final int JUDGE_BYTES = 24;

  /** How much of the next chunk is joined to held bytes: enough to judge, the rest fed in place. */
  private static final int JOIN_BYTES = 64;

  /** One direction of a connection: where its stream is, and bytes held while unsynced. */
  private static final class Stream {
    final Direction dir;
    long next;
    final byte[] held = new byte[JUDGE_BYTES + JOIN_BYTES];
    int heldLength;
    long heldNanos;

    Stream(Direction dir) {
      this.dir = dir;
    }
  }

  /** One tapped connection being decoded. */
  private static final class Decoded {
    final TappedConnection tapped;
    final ZkConnection zk;
    final Stream client = new Stream(Direction.CLIENT_TO_SERVER);
    final Stream server = new Stream(Direction.SERVER_TO_CLIENT);
    boolean closedAtLastSweep;

    Decoded(TappedConnection tapped, ZkConnection zk) {
      this.tapped = tapped;
      this.zk = zk;
    }
  }

  private final Handoff handoff;
  private final Taps taps;
  private final TrafficListener listener;
  private final ProtocolConfig config;
  private final RetainBudget budget;
  private final Map<Long, Decoded> connections = new HashMap<>();
  private final Thread thread;
  private final AtomicLong analysisStopped = new AtomicLong();
  private volatile boolean stopping;
  private volatile long stopDeadline;

  Decoder(
      Handoff handoff,
      Taps taps,
      TrafficListener listener,
      ProtocolConfig config,
      RetainBudget budget) {
    this.handoff = handoff;
    this.taps = taps;
    this.listener = listener;
    this.config = config;
    this.budget = budget;
    this.thread = new Thread(this::run, "zkdigest-agent-decoder");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Decodes what is left in the hand-off (for at most {@code timeoutMillis}), closes every
   * connection, and ends the thread. The caller has stopped the taps.
   */
  void stop(long timeoutMillis) throws InterruptedException {
    stopDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    stopping = true;
    LockSupport.unpark(thread);
    thread.join(timeoutMillis + 1_000);
  }

  /**
   * Waits until the decoding thread has decoded every record claimed before this call (for at most
   * {@code timeoutMillis}); false if it has not by then. Not on the decoding thread.
   */
  boolean awaitDecoded(long timeoutMillis) throws InterruptedException {
    long mark = handoff.claimed();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    LockSupport.unpark(thread);
    while (handoff.consumed() - mark < 0) {
      if (System.nanoTime() - deadline > 0 || !thread.isAlive()) {
        return false;
      }
      Thread.sleep(1);
      LockSupport.unpark(thread);
    }
    return true;
  }

  long analysisStopped() {
    return analysisStopped.get();
  }

  private void run() {
    long nextSweep = System.nanoTime() + SWEEP_NANOS;
    long idle = IDLE_MIN_NANOS;
    while (true) {
      int n = handoff.poll(this, BATCH);
      long now = System.nanoTime();
      if (n == 0) {
        if (stopping && (handoff.isEmpty() || now - stopDeadline > 0)) {
          break;
        }
        LockSupport.parkNanos(idle);
        idle = Math.min(idle * 2, IDLE_MAX_NANOS);
      } else {
        idle = IDLE_MIN_NANOS;
      }
      if (now - nextSweep > 0) {
        sweep();
        nextSweep = now + SWEEP_NANOS;
      }
    }
    closeAll();
  }

  @Override
  public void record(
      int type, long connection, long nanos, long offset, byte[] buf, int at, int len) {
    Decoded d = connections.get(connection);
    if (d == null) {
      adoptOpened();
      d = connections.get(connection);
      if (d == null) {
        return; // closed and forgotten already
      }
    }
    try {
      switch (type) {
        case Handoff.FROM_CLIENT -> data(d, d.client, offset, buf, at, len, nanos);
        case Handoff.FROM_SERVER -> data(d, d.server, offset, buf, at, len, nanos);
        case Handoff.CLOSED -> {
          connections.remove(connection);
          d.zk.close(nanos);
        }
        default -> {}
      }
    } catch (RuntimeException e) {
      // A bug in decoding stops the analysis of this connection, never the others.
      connections.remove(connection);
      analysisStopped.incrementAndGet();
      AgentLog.once(
          "decode",
          "analysis of a connection stopped after an internal error: " + AgentLog.describe(e));
    }
  }

  private void data(Decoded d, Stream s, long offset, byte[] buf, int at, int len, long nanos) {
    long missing = offset - s.next;
    if (missing > 0) {
      // The hand-off dropped bytes before these (held bytes no longer lead anywhere either).
      gap(d, s, missing + s.heldLength, nanos);
      s.heldLength = 0;
    }
    s.next = offset + len;
    if (s.heldLength == 0
        && (d.zk.synced(s.dir) || len >= JUDGE_BYTES || wholeFrame(buf, at, len))) {
      feed(d, s, buf, at, len, nanos);
      return;
    }
    // Unsynced and short, or bytes held already: judge them together with the start of this chunk.
    int join = Math.min(len, s.held.length - s.heldLength);
    System.arraycopy(buf, at, s.held, s.heldLength, join);
    if (s.heldLength == 0) {
      s.heldNanos = nanos;
    }
    s.heldLength += join;
    if (s.heldLength < JUDGE_BYTES && !wholeFrame(s.held, 0, s.heldLength)) {
      return; // still too short to judge: wait for the next chunk
    }
    int held = s.heldLength;
    s.heldLength = 0;
    feed(d, s, s.held, 0, held, s.heldNanos);
    if (join < len) {
      feed(d, s, buf, at + join, len - join, nanos);
    }
  }

  /**
   * Whether {@code buf[at..at+len)} is one frame exactly: a small request or reply written whole.
   */
  private static boolean wholeFrame(byte[] buf, int at, int len) {
    if (len < Integer.BYTES) {
      return false;
    }
    int length =
        ((buf[at] & 0xff) << 24)
            | ((buf[at + 1] & 0xff) << 16)
            | ((buf[at + 2] & 0xff) << 8)
            | (buf[at + 3] & 0xff);
    return length == len - Integer.BYTES;
  }

  private static void feed(Decoded d, Stream s, byte[] buf, int at, int len, long nanos) {
    if (s.dir == Direction.CLIENT_TO_SERVER) {
      d.zk.fromClient(buf, at, len, nanos);
    } else {
      d.zk.fromServer(buf, at, len, nanos);
    }
  }

  private static void gap(Decoded d, Stream s, long bytes, long nanos) {
    if (s.dir == Direction.CLIENT_TO_SERVER) {
      d.zk.clientGap(bytes, nanos);
    } else {
      d.zk.serverGap(bytes, nanos);
    }
  }

  private void adoptOpened() {
    TappedConnection t;
    while ((t = taps.nextOpened()) != null) {
      connections.put(t.id, new Decoded(t, new ZkConnection(t.meta, config, listener, budget)));
    }
  }

  /** Closes connections marked closed at two sweeps in a row (the first lets a close record in). */
  private void sweep() {
    taps.sweep();
    adoptOpened();
    long now = EpochClock.nanos();
    for (Iterator<Decoded> it = connections.values().iterator(); it.hasNext(); ) {
      Decoded d = it.next();
      if (!d.tapped.isClosed()) {
        continue;
      }
      if (d.closedAtLastSweep) {
        it.remove();
        close(d, now);
      } else {
        d.closedAtLastSweep = true;
      }
    }
  }

  private void closeAll() {
    adoptOpened();
    long now = EpochClock.nanos();
    for (Decoded d : connections.values()) {
      close(d, now);
    }
    connections.clear();
  }

  private void close(Decoded d, long nanos) {
    try {
      d.zk.close(nanos);
    } catch (RuntimeException e) {
      analysisStopped.incrementAndGet();
    }
  }
}
