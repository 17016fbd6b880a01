package dev.zkdigest.capture;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RetainBudget;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkConnection;

/**
 * Turns TCP segments from a capture (file or live) into ZooKeeper connections: finds the client and
 * server of each flow, reassembles both directions, and feeds the protocol core. The number of
 * connections tracked at once is capped; past the cap the least recently active one is closed.
 *
 * <p>Threading: confined to one decoding thread.
 */
public final class TcpTracker {
  /** The most connections tracked at once, however large the heap. */
  public static final int MAX_CONNECTIONS = 100_000;

  /**
   * Heap allowed per tracked connection when the cap comes from the heap: a connection's state
   * takes about 1.6 KB (tracker, reassembly, protocol core and digest entries, measured by {@code
   * benchmarks/replay-stages.sh conns}), so a third of the heap goes to connections at most.
   */
  static final long HEAP_PER_CONNECTION = 5 * 1024;

  /**
   * The default cap on connections tracked at once: one per {@link #HEAP_PER_CONNECTION} of the
   * maximum heap, between 1,000 and {@link #MAX_CONNECTIONS}.
   */
  public static int defaultMaxConnections() {
    long byHeap = Runtime.getRuntime().maxMemory() / HEAP_PER_CONNECTION;
    return (int) Math.max(1_000, Math.min(MAX_CONNECTIONS, byHeap));
  }

  /** Client bytes held while deciding whether a flow on an unknown port is ZooKeeper. */
  private static final int PROBE_BYTES = 64;

  private final ServerMatcher matcher;
  private final ProtocolConfig config;
  private final TrafficListener listener;
  private final int maxConnections;
  private final FlowTable<Tracked> flows = new FlowTable<>();
  private final RetainBudget retainBudget;
  private long nextId = 1;
  private long idStride = 1;
  private long segments;
  private long evicted;
  private long lastNanos;
  private Tracked lastTracked;

  /** The last server address and its text: connections share it instead of one string each. */
  private boolean lastServerV6;

  private long lastServerHi;
  private long lastServerLo;
  private String lastServerIp;

  public TcpTracker(ServerMatcher matcher, ProtocolConfig config, TrafficListener listener) {
    this(matcher, config, listener, defaultMaxConnections());
  }

  public TcpTracker(
      ServerMatcher matcher, ProtocolConfig config, TrafficListener listener, int maxConnections) {
    this.matcher = matcher;
    this.config = config;
    this.listener = listener;
    this.maxConnections = maxConnections;
    this.retainBudget = new RetainBudget(config.retainBudget());
  }

  /**
   * Numbers this tracker's connections {@code first}, {@code first + stride}, ...: trackers that
   * share one run (one per shard of the flows) keep connection ids unique.
   */
  public TcpTracker connectionIds(long first, long stride) {
    this.nextId = first;
    this.idStride = stride;
    return this;
  }

  public long segments() {
    return segments;
  }

  public long evicted() {
    return evicted;
  }

  public int openConnections() {
    return flows.size();
  }

  public void segment(TcpSegment s) {
    segments++;
    lastNanos = Math.max(lastNanos, s.nanos);
    // Fast path: consecutive segments of one flow (a reply split at the MSS) skip the lookup.
    Tracked cached = lastTracked;
    if (cached != null) {
      if (cached.is(s.ipv6, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort)) {
        process(cached, true, s);
        return;
      }
      if (cached.is(s.ipv6, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort)) {
        process(cached, false, s);
        return;
      }
    }
    boolean toServer = matcher.isServer(s.ipv6, s.dstHi, s.dstLo, s.dstPort);
    boolean fromServer = !toServer && matcher.isServer(s.ipv6, s.srcHi, s.srcLo, s.srcPort);
    if (toServer) {
      process(
          flows.find(s.ipv6, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort), true, s);
      return;
    }
    if (fromServer) {
      process(
          flows.find(s.ipv6, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort), false, s);
      return;
    }
    // Unknown ports: only flows we are already probing or tracking, or a new client SYN.
    Tracked t = flows.find(s.ipv6, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
    if (t != null) {
      process(t, true, s);
      return;
    }
    t = flows.find(s.ipv6, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort);
    if (t != null) {
      process(t, false, s);
      return;
    }
    if (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)) {
      t = new Tracked(s, true, s.nanos, true, true);
      put(t);
      process(t, true, s);
    }
  }

  private void process(Tracked t, boolean clientToServer, TcpSegment s) {
    boolean syn = s.has(TcpSegment.SYN);
    if (t != null && syn && clientToServer && !s.has(TcpSegment.ACK) && t.sawData) {
      // Port reuse: a new connection on the same four-tuple.
      close(t, s.nanos);
      t = null;
    }
    if (t == null) {
      if (!syn && (s.payloadOnWire == 0 || s.has(TcpSegment.RST))) {
        return; // an ACK, FIN or RST with nothing to decode: the tail of a connection
      }
      t = new Tracked(s, clientToServer, s.nanos, syn, false);
      put(t);
    }
    lastTracked = t;
    // The acknowledgement first: the peer had the bytes it acknowledges before it sent this
    // payload, so a request missing a segment in the capture is complete before its reply.
    if (s.has(TcpSegment.ACK)) {
      (clientToServer ? t.s2c : t.c2s).acked(s.ack, s.nanos);
    }
    TcpStream stream = clientToServer ? t.c2s : t.s2c;
    if (syn) {
      stream.syn(s.seq);
    } else if (s.payloadOnWire > 0) {
      t.sawData = true;
      stream.segment(s.seq, s.data, s.payloadOffset, s.payloadLength, s.payloadOnWire, s.nanos);
      if (t.rejected) {
        flows.remove(t);
        lastTracked = null;
        return;
      }
    }
    if (s.has(TcpSegment.RST)) {
      close(t, s.nanos);
    } else if (s.has(TcpSegment.FIN)) {
      stream.fin(s.seq + s.payloadOnWire);
      if (clientToServer) {
        t.clientFin = true;
      } else {
        t.serverFin = true;
      }
      if (t.clientFin && t.serverFin) {
        close(t, s.nanos);
      }
    }
  }

  /** End of input: every connection still open is flushed and closed. */
  public void finish() {
    for (FlowTable.Flow f : flows.snapshot()) {
      close((Tracked) f, lastNanos);
    }
  }

  private void put(Tracked t) {
    if (flows.size() >= maxConnections) {
      Tracked eldest = flows.oldest();
      flows.remove(eldest);
      if (lastTracked == eldest) {
        lastTracked = null;
      }
      eldest.close(lastNanos);
      evicted++;
    }
    flows.add(t);
  }

  private void close(Tracked t, long nanos) {
    flows.remove(t);
    if (lastTracked == t) {
      lastTracked = null;
    }
    t.close(nanos);
  }

  private String serverIp(FlowTable.Flow f) {
    if (lastServerIp == null
        || lastServerV6 != f.ipv6
        || lastServerHi != f.serverHi
        || lastServerLo != f.serverLo) {
      lastServerV6 = f.ipv6;
      lastServerHi = f.serverHi;
      lastServerLo = f.serverLo;
      lastServerIp = Endpoint.ip(f.ipv6, f.serverHi, f.serverLo);
    }
    return lastServerIp;
  }

  /** One connection: its two streams and, once known to be ZooKeeper, its protocol state. */
  private final class Tracked extends FlowTable.Flow {
    final long openedNanos;
    final boolean fromStart;
    final TcpStream c2s;
    final TcpStream s2c;
    ZkConnection zk;
    boolean probing;
    boolean rejected;
    byte[] probe;
    int probeLen;
    boolean sawData;
    boolean clientFin;
    boolean serverFin;

    /** A flow of {@code s}, whose source is the client when {@code clientToServer}. */
    Tracked(
        TcpSegment s, boolean clientToServer, long openedNanos, boolean fromStart, boolean probe) {
      super(
          s.ipv6,
          clientToServer ? s.srcHi : s.dstHi,
          clientToServer ? s.srcLo : s.dstLo,
          clientToServer ? s.srcPort : s.dstPort,
          clientToServer ? s.dstHi : s.srcHi,
          clientToServer ? s.dstLo : s.srcLo,
          clientToServer ? s.dstPort : s.srcPort);
      this.openedNanos = openedNanos;
      this.fromStart = fromStart;
      this.probing = probe;
      if (!probe) {
        startZk();
      }
      this.c2s =
          new TcpStream(
              new TcpStream.Sink() {
                @Override
                public void data(byte[] buf, int off, int len, long nanos) {
                  if (probing) {
                    probe(buf, off, len, nanos);
                  } else if (zk != null) {
                    zk.fromClient(buf, off, len, nanos);
                  }
                }

                @Override
                public void gap(long bytes, long nanos) {
                  if (probing) {
                    rejected = true;
                  } else if (zk != null) {
                    zk.clientGap(bytes, nanos);
                  }
                }
              });
      this.s2c =
          new TcpStream(
              new TcpStream.Sink() {
                @Override
                public void data(byte[] buf, int off, int len, long nanos) {
                  if (probing) {
                    rejected = true; // a ZooKeeper server never speaks first
                  } else if (zk != null) {
                    zk.fromServer(buf, off, len, nanos);
                  }
                }

                @Override
                public void gap(long bytes, long nanos) {
                  if (!probing && zk != null) {
                    zk.serverGap(bytes, nanos);
                  }
                }
              });
    }

    private void startZk() {
      ConnectionMeta meta =
          new ConnectionMeta(
              nextId,
              Endpoint.ip(ipv6, clientHi, clientLo),
              clientPort,
              serverIp(this),
              serverPort,
              openedNanos,
              fromStart);
      nextId += idStride;
      zk = new ZkConnection(meta, config, listener, retainBudget);
    }

    /** Decide from the first client bytes whether a flow on an unknown port is ZooKeeper. */
    private void probe(byte[] buf, int off, int len, long nanos) {
      if (probe == null) {
        probe = new byte[PROBE_BYTES];
      }
      int n = Math.min(len, PROBE_BYTES - probeLen);
      System.arraycopy(buf, off, probe, probeLen, n);
      probeLen += n;
      if (probeLen < 4 + 28 && probeLen < PROBE_BYTES) {
        return;
      }
      if (HandshakeProbe.isConnectRequest(probe, probeLen)) {
        probing = false;
        startZk();
        zk.fromClient(probe, 0, probeLen, nanos);
        if (len > n) {
          zk.fromClient(buf, off + n, len - n, nanos);
        }
        probe = null;
      } else {
        rejected = true;
      }
    }

    void close(long nanos) {
      c2s.flush();
      s2c.flush();
      if (zk != null) {
        zk.close(nanos);
      }
    }
  }
}
