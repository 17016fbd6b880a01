package dev.zkdigest.agent;

import dev.zkdigest.agent.bootstrap.TapSink;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bridge's sink: runs on the application's threads, inside ZooKeeper's socket calls. It finds
 * (or starts) the connection's record, takes the time and copies the bytes into the hand-off, and
 * that is all: no lock beyond the map's on a connection's first sighting, no waiting, no throwing.
 * New connections are queued for the decoding thread before their first bytes are published, so it
 * always knows a connection before it sees its bytes.
 */
final class Taps implements TapSink {
  private final Handoff handoff;
  private final ConcurrentHashMap<Object, TappedConnection> byKey = new ConcurrentHashMap<>();
  private final Queue<TappedConnection> opened = new ConcurrentLinkedQueue<>();
  private final AtomicLong ids = new AtomicLong();
  private final LongAdder untrackedBytes = new LongAdder();
  private final int maxConnections;
  private final boolean fromStart;
  private final boolean clients;
  private final boolean servers;
  private volatile boolean stopped;

  /**
   * @param fromStart whether connections are seen from their first byte (the agent started with the
   *     JVM); attached later, the decoder resynchronises on each connection's first frame
   * @param clients whether to tap the connections of ZooKeeper clients
   * @param servers whether to tap the connections of a ZooKeeper server
   */
  Taps(Handoff handoff, int maxConnections, boolean fromStart, boolean clients, boolean servers) {
    this.handoff = handoff;
    this.maxConnections = maxConnections;
    this.fromStart = fromStart;
    this.clients = clients;
    this.servers = servers;
  }

  @Override
  public void bytes(Object key, int side, boolean outbound, ByteBuffer buf, int from, int to) {
    if (stopped || !(side == CLIENT_SIDE ? clients : servers)) {
      return;
    }
    long now = EpochClock.nanos();
    int len = to - from;
    TappedConnection c = byKey.get(key);
    if (c == null) {
      c = open(key, side, now);
      if (c == null) {
        untrackedBytes.add(len);
        return;
      }
    }
    // Seen from a client, what it writes is the client's; seen from a server, what it reads.
    boolean fromClient = (side == CLIENT_SIDE) == outbound;
    long offset = c.advance(fromClient, len);
    handoff.offer(
        fromClient ? Handoff.FROM_CLIENT : Handoff.FROM_SERVER, c.id, now, offset, buf, from, len);
  }

  @Override
  public void closed(Object key) {
    TappedConnection c = byKey.remove(key);
    if (c != null) {
      c.markClosed();
      handoff.offer(Handoff.CLOSED, c.id, EpochClock.nanos());
    }
  }

  private TappedConnection open(Object key, int side, long now) {
    if (byKey.size() >= maxConnections) {
      return null;
    }
    long id = ids.incrementAndGet();
    TappedConnection fresh =
        new TappedConnection(id, key, Endpoints.describe(id, key, side, now, fromStart));
    TappedConnection prior = byKey.putIfAbsent(key, fresh);
    if (prior != null) {
      return prior;
    }
    opened.add(fresh);
    return fresh;
  }

  /** Connections seen for the first time since the last call (decoding thread). */
  TappedConnection nextOpened() {
    return opened.poll();
  }

  /** Marks closed the connections whose socket closed without the agent seeing it. */
  void sweep() {
    for (Iterator<Map.Entry<Object, TappedConnection>> it = byKey.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Object, TappedConnection> e = it.next();
      if (!Endpoints.isOpen(e.getKey())) {
        it.remove();
        e.getValue().markClosed();
      }
    }
  }

  /** Taps nothing more; calls in progress finish. */
  void stop() {
    stopped = true;
  }

  int tracked() {
    return byKey.size();
  }

  long untrackedBytes() {
    return untrackedBytes.sum();
  }
}
