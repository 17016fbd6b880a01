package dev.zkdigest.capture;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RetainBudget;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkConnection;

/**
 * Turns TCP segments from a capture (file or live) into ZooKeeper connections: finds the client and
 * server of each flow, reassembles both directions, and feeds the protocol core. Servers are those
 * configured and those learned from the traffic ({@link ServerLearner}); a flow to an unknown
 * endpoint is probed from its SYN, and one that is not ZooKeeper is ignored, its bytes counted
 * ({@link TrafficListener#ignored}). The number of connections tracked at once is capped; past the
 * cap the least recently active one is closed.
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

  private final ServerLearner learner;
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
    this.learner = new ServerLearner(matcher);
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

  /**
   * A segment of a flow another shard analyses: only looked at for what it tells of servers, so
   * every shard learns the same servers at the same packet.
   */
  public void observe(TcpSegment s) {
    learner.observe(s);
  }

  /** A segment to analyse. */
  public void segment(TcpSegment s) {
    learner.observe(s);
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
    boolean toServer = learner.isServer(s.ipv6, s.dstHi, s.dstLo, s.dstPort);
    boolean fromServer = !toServer && learner.isServer(s.ipv6, s.srcHi, s.srcLo, s.srcPort);
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
    // Unknown endpoints: flows we are already probing or ignoring, or a new one.
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
      t = new Tracked(s, true, s.nanos, true, Mode.PROBING);
      put(t);
      process(t, true, s);
    } else if (s.payloadOnWire > 0 && !s.has(TcpSegment.SYN)) {
      // Joined mid-stream: which end serves is a guess, the lower port (2181 and not 51234).
      boolean srcIsClient = s.srcPort > s.dstPort || s.srcPort == s.dstPort;
      t = new Tracked(s, srcIsClient, s.nanos, false, Mode.IGNORED);
      put(t);
      listener.ignored(t.serverName(), 1, 0);
      process(t, srcIsClient, s);
    }
  }

  private void process(Tracked t, boolean clientToServer, TcpSegment s) {
    if (t != null && t.mode != Mode.ANALYSED) {
      t.decide();
      if (t.mode == Mode.IGNORED) {
        ignoredSegment(t, s);
        return;
      }
    }
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
      t = new Tracked(s, clientToServer, s.nanos, syn, Mode.ANALYSED);
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

  /** A segment of a flow not analysed: its bytes are counted, its end ends it. */
  private void ignoredSegment(Tracked t, TcpSegment s) {
    lastTracked = t;
    if (s.payloadOnWire > 0) {
      listener.ignored(t.serverName(), 0, s.payloadOnWire);
    }
    if (s.has(TcpSegment.RST) || s.has(TcpSegment.FIN)) {
      flows.remove(t);
      lastTracked = null;
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

  /** What is done with a flow's bytes. */
  private enum Mode {
    /** To an unknown endpoint, seen from its SYN: held until the learner decides. */
    PROBING,
    /** A ZooKeeper connection, fed to the protocol core. */
    ANALYSED,
    /** Not to a known server: counted, not decoded (until its server becomes known). */
    IGNORED
  }

  /** One connection: its two streams and, once known to be ZooKeeper, its protocol state. */
  private final class Tracked extends FlowTable.Flow {
    final long openedNanos;
    final boolean fromStart;
    TcpStream c2s;
    TcpStream s2c;
    ZkConnection zk;
    Mode mode;
    byte[] probe;
    int probeLen;
    long probeNanos;
    boolean sawData;
    boolean clientFin;
    boolean serverFin;

    /** A flow of {@code s}, whose source is the client when {@code clientToServer}. */
    Tracked(TcpSegment s, boolean clientToServer, long openedNanos, boolean fromStart, Mode mode) {
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
      this.mode = mode;
      if (mode == Mode.ANALYSED) {
        startZk(fromStart);
      }
      newStreams();
    }

    private void newStreams() {
      this.c2s =
          new TcpStream(
              new TcpStream.Sink() {
                @Override
                public void data(byte[] buf, int off, int len, long nanos) {
                  if (mode == Mode.PROBING) {
                    hold(buf, off, len, nanos);
                  } else if (zk != null) {
                    zk.fromClient(buf, off, len, nanos);
                  }
                }

                @Override
                public void gap(long bytes, long nanos) {
                  if (zk != null) {
                    zk.clientGap(bytes, nanos);
                  }
                }
              });
      this.s2c =
          new TcpStream(
              new TcpStream.Sink() {
                @Override
                public void data(byte[] buf, int off, int len, long nanos) {
                  if (zk != null) {
                    zk.fromServer(buf, off, len, nanos);
                  }
                }

                @Override
                public void gap(long bytes, long nanos) {
                  if (zk != null) {
                    zk.serverGap(bytes, nanos);
                  }
                }
              });
    }

    /** Whether the learner has made up its mind about a flow not analysed yet. */
    void decide() {
      boolean known = learner.isServer(ipv6, serverHi, serverLo, serverPort);
      if (mode == Mode.PROBING) {
        if (known) {
          // A ZooKeeper after all: decode it from its first byte.
          mode = Mode.ANALYSED;
          startZk(true);
          if (probeLen > 0) {
            zk.fromClient(probe, 0, probeLen, probeNanos);
          }
          probe = null;
        } else if (!learner.isProbing(
            ipv6, clientHi, clientLo, clientPort, serverHi, serverLo, serverPort)) {
          mode = Mode.IGNORED;
          listener.ignored(serverName(), 1, probeLen);
          probe = null;
        }
      } else if (mode == Mode.IGNORED && known) {
        // Its server became known: analysed from here on, resynchronising mid-stream.
        mode = Mode.ANALYSED;
        newStreams();
        startZk(false);
      }
    }

    /** Client bytes held while probing (the learner decides within its probe's bytes). */
    private void hold(byte[] buf, int off, int len, long nanos) {
      if (probe == null) {
        probe = new byte[ServerLearner.PROBE_BYTES];
        probeNanos = nanos;
      }
      int n = Math.min(len, probe.length - probeLen);
      System.arraycopy(buf, off, probe, probeLen, n);
      probeLen += n;
    }

    String serverName() {
      return dev.zkdigest.protocol.ConnectionMeta.hostPort(serverIp(this), serverPort);
    }

    private void startZk(boolean fromTheStart) {
      ConnectionMeta meta =
          new ConnectionMeta(
              nextId,
              Endpoint.ip(ipv6, clientHi, clientLo),
              clientPort,
              serverIp(this),
              serverPort,
              openedNanos,
              fromTheStart);
      nextId += idStride;
      zk = new ZkConnection(meta, config, listener, retainBudget);
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
