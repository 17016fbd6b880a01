package dev.zkdigest.capture;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkConnection;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns TCP segments from a capture (file or live) into ZooKeeper connections: finds the client and
 * server of each flow, reassembles both directions, and feeds the protocol core. The number of
 * connections tracked at once is capped; past the cap the least recently active one is closed.
 *
 * <p>Threading: confined to one decoding thread.
 */
public final class TcpTracker {
  /** The most connections tracked at once. */
  public static final int DEFAULT_MAX_CONNECTIONS = 100_000;

  /** Client bytes held while deciding whether a flow on an unknown port is ZooKeeper. */
  private static final int PROBE_BYTES = 64;

  private record FlowKey(Endpoint client, Endpoint server) {}

  private final ServerMatcher matcher;
  private final ProtocolConfig config;
  private final TrafficListener listener;
  private final int maxConnections;
  private final LinkedHashMap<FlowKey, Tracked> flows;
  private long nextId = 1;
  private long segments;
  private long evicted;
  private long lastNanos;
  private Tracked lastTracked;
  private int fastHits;

  public TcpTracker(ServerMatcher matcher, ProtocolConfig config, TrafficListener listener) {
    this(matcher, config, listener, DEFAULT_MAX_CONNECTIONS);
  }

  public TcpTracker(
      ServerMatcher matcher, ProtocolConfig config, TrafficListener listener, int maxConnections) {
    this.matcher = matcher;
    this.config = config;
    this.listener = listener;
    this.maxConnections = maxConnections;
    this.flows = new LinkedHashMap<>(1024, 0.75f, true);
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
    if (cached != null && (++fastHits & 255) != 0) {
      Endpoint c = cached.key.client();
      Endpoint sv = cached.key.server();
      if (same(c, s.ipv6, s.srcHi, s.srcLo, s.srcPort)
          && same(sv, s.ipv6, s.dstHi, s.dstLo, s.dstPort)) {
        process(cached.key, cached, true, s);
        return;
      }
      if (same(sv, s.ipv6, s.srcHi, s.srcLo, s.srcPort)
          && same(c, s.ipv6, s.dstHi, s.dstLo, s.dstPort)) {
        process(cached.key, cached, false, s);
        return;
      }
    }
    boolean toServer = matcher.isServer(s.ipv6, s.dstHi, s.dstLo, s.dstPort);
    boolean fromServer = !toServer && matcher.isServer(s.ipv6, s.srcHi, s.srcLo, s.srcPort);
    Endpoint src = new Endpoint(s.ipv6, s.srcHi, s.srcLo, s.srcPort);
    Endpoint dst = new Endpoint(s.ipv6, s.dstHi, s.dstLo, s.dstPort);
    FlowKey key;
    boolean clientToServer;
    if (toServer || fromServer) {
      clientToServer = toServer;
      key = toServer ? new FlowKey(src, dst) : new FlowKey(dst, src);
    } else {
      // Unknown ports: only flows we are already probing or tracking, or a new client SYN.
      FlowKey forward = new FlowKey(src, dst);
      FlowKey backward = new FlowKey(dst, src);
      if (flows.containsKey(forward)) {
        key = forward;
        clientToServer = true;
      } else if (flows.containsKey(backward)) {
        key = backward;
        clientToServer = false;
      } else if (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)) {
        key = forward;
        clientToServer = true;
        Tracked t = new Tracked(key, s.nanos, true, true);
        put(key, t);
      } else {
        return;
      }
    }
    process(key, flows.get(key), clientToServer, s);
  }

  private static boolean same(Endpoint e, boolean ipv6, long hi, long lo, int port) {
    return e.port() == port && e.lo() == lo && e.hi() == hi && e.ipv6() == ipv6;
  }

  private void process(FlowKey key, Tracked t, boolean clientToServer, TcpSegment s) {
    boolean syn = s.has(TcpSegment.SYN);
    if (t != null && syn && clientToServer && !s.has(TcpSegment.ACK) && t.sawData) {
      // Port reuse: a new connection on the same four-tuple.
      close(key, t, s.nanos);
      t = null;
    }
    if (t == null) {
      if (!syn && (s.payloadOnWire == 0 || s.has(TcpSegment.RST))) {
        return; // an ACK, FIN or RST with nothing to decode: the tail of a connection
      }
      t = new Tracked(key, s.nanos, syn, false);
      put(key, t);
    }
    lastTracked = t;
    TcpStream stream = clientToServer ? t.c2s : t.s2c;
    if (syn) {
      stream.syn(s.seq);
    } else if (s.payloadOnWire > 0) {
      t.sawData = true;
      stream.segment(s.seq, s.data, s.payloadOffset, s.payloadLength, s.payloadOnWire, s.nanos);
      if (t.rejected) {
        flows.remove(key);
        lastTracked = null;
        return;
      }
    }
    if (s.has(TcpSegment.ACK)) {
      (clientToServer ? t.s2c : t.c2s).acked(s.ack);
    }
    if (s.has(TcpSegment.RST)) {
      close(key, t, s.nanos);
    } else if (s.has(TcpSegment.FIN)) {
      if (clientToServer) {
        t.clientFin = true;
      } else {
        t.serverFin = true;
      }
      if (t.clientFin && t.serverFin) {
        close(key, t, s.nanos);
      }
    }
  }

  /** End of input: every connection still open is flushed and closed. */
  public void finish() {
    for (Map.Entry<FlowKey, Tracked> e : new ArrayList<>(flows.entrySet())) {
      close(e.getKey(), e.getValue(), lastNanos);
    }
  }

  private void put(FlowKey key, Tracked t) {
    if (flows.size() >= maxConnections) {
      Iterator<Map.Entry<FlowKey, Tracked>> it = flows.entrySet().iterator();
      Map.Entry<FlowKey, Tracked> eldest = it.next();
      it.remove();
      if (lastTracked == eldest.getValue()) {
        lastTracked = null;
      }
      eldest.getValue().close(lastNanos);
      evicted++;
    }
    flows.put(key, t);
  }

  private void close(FlowKey key, Tracked t, long nanos) {
    flows.remove(key);
    if (lastTracked == t) {
      lastTracked = null;
    }
    t.close(nanos);
  }

  /** One connection: its two streams and, once known to be ZooKeeper, its protocol state. */
  private final class Tracked {
    final FlowKey key;
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

    Tracked(FlowKey key, long openedNanos, boolean fromStart, boolean probe) {
      this.key = key;
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
              nextId++,
              key.client().ip(),
              key.client().port(),
              key.server().ip(),
              key.server().port(),
              openedNanos,
              fromStart);
      zk = new ZkConnection(meta, config, listener);
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
