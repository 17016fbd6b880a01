package dev.zkdigest.capture;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.quorum.ElectionConnection;
import dev.zkdigest.quorum.QuorumListener;
import dev.zkdigest.quorum.QuorumProtocol;
import dev.zkdigest.quorum.ZabConnection;

/**
 * Turns TCP segments between ZooKeeper servers into election and ZAB connections: reassembles both
 * directions with the same {@link TcpStream} as client traffic and feeds the quorum codecs. Front
 * ends offer it every segment first ({@link #offer}); what it does not take goes on to the {@link
 * TcpTracker}. It takes flows on quorum endpoints ({@link QuorumMatcher}), and flows on other ports
 * whose first bytes, after a SYN it saw, are an election initial message or a learner's
 * FOLLOWERINFO/OBSERVERINFO.
 *
 * <p>Threading: confined to one decoding thread. All quorum traffic goes to one tracker, since an
 * election is only understood from every server's votes together.
 */
public final class QuorumTracker {
  /**
   * Quorum connections tracked at once: an ensemble has a few per server, so this bounds only abuse
   * (a scan of the ports); past it the least recently active is closed.
   */
  public static final int MAX_CONNECTIONS = 1024;

  /** Client bytes held while deciding whether a flow on another port is quorum traffic. */
  private static final int PROBE_BYTES = 20;

  private final QuorumMatcher matcher;
  private final ServerMatcher clients;
  private final QuorumListener listener;
  private final int maxConnections;
  private final FlowTable<Tracked> flows = new FlowTable<>();
  private long nextId = 1;
  private long segments;
  private long evicted;
  private long lastNanos;

  public QuorumTracker(QuorumMatcher matcher, QuorumListener listener) {
    this(matcher, null, listener, MAX_CONNECTIONS);
  }

  /**
   * @param clients the client servers ({@code --port}, {@code --servers}): flows to them are client
   *     traffic, handed on at the cost of two port checks, never probed; or null
   */
  public QuorumTracker(QuorumMatcher matcher, ServerMatcher clients, QuorumListener listener) {
    this(matcher, clients, listener, MAX_CONNECTIONS);
  }

  public QuorumTracker(
      QuorumMatcher matcher, ServerMatcher clients, QuorumListener listener, int maxConnections) {
    this.matcher = matcher;
    this.clients = clients;
    this.listener = listener;
    this.maxConnections = maxConnections;
  }

  public QuorumMatcher matcher() {
    return matcher;
  }

  /**
   * A tracker that claims the same flows at the same packets and decodes them for nobody: what the
   * replay's other shards run, so that a quorum flow found by its content (on a port not given) is
   * left alone by every shard, whichever shard its hash picks.
   */
  public QuorumTracker twin() {
    return new QuorumTracker(matcher, clients, new QuorumListener() {}, maxConnections);
  }

  /** Segments this tracker took. */
  public long segments() {
    return segments;
  }

  /** Connections closed early because {@link #MAX_CONNECTIONS} were open. */
  public long evicted() {
    return evicted;
  }

  public int openConnections() {
    return flows.size();
  }

  /**
   * Takes the segment if its flow is quorum traffic; false leaves it to client decoding (which also
   * sees the SYN and first bytes of a flow this tracker is still probing).
   */
  public boolean offer(TcpSegment s) {
    QuorumProtocol toDst = matcher.protocolAt(s.ipv6, s.dstHi, s.dstLo, s.dstPort);
    if (toDst != null) {
      take(find(s, true), true, s, toDst);
      return true;
    }
    QuorumProtocol toSrc = matcher.protocolAt(s.ipv6, s.srcHi, s.srcLo, s.srcPort);
    if (toSrc != null) {
      take(find(s, false), false, s, toSrc);
      return true;
    }
    if (clients != null
        && (clients.isServer(s.ipv6, s.dstHi, s.dstLo, s.dstPort)
            || clients.isServer(s.ipv6, s.srcHi, s.srcLo, s.srcPort))) {
      return false; // client traffic: the common case costs no lookup
    }
    if (flows.size() == 0 && !(s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK))) {
      return false;
    }
    Tracked t = find(s, true);
    boolean c2s = true;
    if (t == null) {
      t = find(s, false);
      c2s = false;
    }
    if (t != null) {
      if (!t.probing) {
        take(t, c2s, s, t.protocol);
        return true;
      }
      return probe(t, c2s, s);
    }
    if (s.has(TcpSegment.SYN) && !s.has(TcpSegment.ACK)) {
      t = new Tracked(s, true, s.nanos, true, null);
      put(t);
      t.c2s.syn(s.seq);
    }
    return false;
  }

  private Tracked find(TcpSegment s, boolean clientToServer) {
    return clientToServer
        ? flows.find(s.ipv6, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort)
        : flows.find(s.ipv6, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort);
  }

  /** A segment of a flow being probed: taken once its first client bytes prove it. */
  private boolean probe(Tracked t, boolean c2s, TcpSegment s) {
    if (s.has(TcpSegment.RST) || (!c2s && s.payloadOnWire > 0)) {
      close(t, s.nanos); // reset, or a server that speaks first: not one of ours
      return false;
    }
    if (!c2s) {
      if (s.has(TcpSegment.SYN)) {
        t.s2c.syn(s.seq);
      }
      return false;
    }
    if (s.payloadOnWire == 0) {
      return false;
    }
    t.c2s.segment(s.seq, s.data, s.payloadOffset, s.payloadLength, s.payloadOnWire, s.nanos);
    if (t.rejected) {
      close(t, s.nanos);
      return false;
    }
    if (t.probing) {
      return false;
    }
    segments++;
    return true;
  }

  private void take(Tracked t, boolean clientToServer, TcpSegment s, QuorumProtocol protocol) {
    segments++;
    lastNanos = Math.max(lastNanos, s.nanos);
    boolean syn = s.has(TcpSegment.SYN);
    if (t != null && syn && clientToServer && !s.has(TcpSegment.ACK) && t.sawData) {
      close(t, s.nanos); // port reuse: a new connection on the same four-tuple
      t = null;
    }
    if (t == null) {
      if (!syn && (s.payloadOnWire == 0 || s.has(TcpSegment.RST))) {
        return; // the tail of a connection: nothing to decode
      }
      t = new Tracked(s, clientToServer, s.nanos, syn, protocol);
      put(t);
    }
    // The acknowledgement first, as TcpTracker does: what the peer acknowledges but the capture
    // lacks is a gap before this segment's payload.
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
      if (!eldest.probing) {
        evicted++;
      }
      eldest.close(lastNanos);
    }
    flows.add(t);
  }

  private void close(Tracked t, long nanos) {
    flows.remove(t);
    t.close(nanos);
  }

  /**
   * Whether the first bytes a connecting server sent open a quorum protocol: an election initial
   * message (version, id, address length), a learner's FOLLOWERINFO or OBSERVERINFO, or a quorum
   * SASL packet; null when they do not.
   */
  static QuorumProtocol recognise(byte[] b, int len) {
    if (len < PROBE_BYTES) {
      return null;
    }
    long first = CaptureFileReader.intBE(b, 0) & 0xffffffffL;
    long version = (first << 32) | (CaptureFileReader.intBE(b, 4) & 0xffffffffL);
    if (version == -65536L || version == -65535L) {
      int addressLength = CaptureFileReader.intBE(b, 16);
      return addressLength > 0 && addressLength <= 2048 ? QuorumProtocol.ELECTION : null;
    }
    int type = CaptureFileReader.intBE(b, 0);
    int dataLength = CaptureFileReader.intBE(b, 12);
    boolean learnerInfo =
        (type == 11 || type == 16)
            && (dataLength == -1 || dataLength == 8 || dataLength == 12 || dataLength == 20);
    return learnerInfo ? QuorumProtocol.ZAB : null;
  }

  /** One connection: its two streams and, once known, its codec. */
  private final class Tracked extends FlowTable.Flow {
    final long openedNanos;
    final boolean fromStart;
    final TcpStream c2s;
    final TcpStream s2c;
    QuorumProtocol protocol;
    ElectionConnection election;
    ZabConnection zab;
    boolean probing;
    boolean rejected;
    byte[] probe;
    int probeLen;
    boolean sawData;
    boolean clientFin;
    boolean serverFin;

    Tracked(
        TcpSegment s,
        boolean clientToServer,
        long openedNanos,
        boolean fromStart,
        QuorumProtocol protocol) {
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
      this.protocol = protocol;
      this.probing = protocol == null;
      if (protocol != null) {
        start();
      }
      this.c2s =
          new TcpStream(
              new TcpStream.Sink() {
                @Override
                public void data(byte[] buf, int off, int len, long nanos) {
                  if (probing) {
                    probeData(buf, off, len, nanos);
                  } else if (zab != null) {
                    zab.fromClient(buf, off, len, nanos);
                  } else if (election != null) {
                    election.fromClient(buf, off, len, nanos);
                  }
                }

                @Override
                public void gap(long bytes, long nanos) {
                  if (probing) {
                    rejected = true;
                  } else if (zab != null) {
                    zab.clientGap(bytes, nanos);
                  } else if (election != null) {
                    election.clientGap(bytes, nanos);
                  }
                }
              });
      this.s2c =
          new TcpStream(
              new TcpStream.Sink() {
                @Override
                public void data(byte[] buf, int off, int len, long nanos) {
                  if (zab != null) {
                    zab.fromServer(buf, off, len, nanos);
                  } else if (election != null) {
                    election.fromServer(buf, off, len, nanos);
                  }
                }

                @Override
                public void gap(long bytes, long nanos) {
                  if (zab != null) {
                    zab.serverGap(bytes, nanos);
                  } else if (election != null) {
                    election.serverGap(bytes, nanos);
                  }
                }
              });
    }

    private void start() {
      ConnectionMeta meta =
          new ConnectionMeta(
              nextId++,
              Endpoint.ip(ipv6, clientHi, clientLo),
              clientPort,
              Endpoint.ip(ipv6, serverHi, serverLo),
              serverPort,
              openedNanos,
              fromStart);
      if (protocol == QuorumProtocol.ZAB) {
        zab = new ZabConnection(meta, listener);
      } else {
        election = new ElectionConnection(meta, listener);
      }
    }

    private void probeData(byte[] buf, int off, int len, long nanos) {
      if (probe == null) {
        probe = new byte[PROBE_BYTES];
      }
      int n = Math.min(len, PROBE_BYTES - probeLen);
      System.arraycopy(buf, off, probe, probeLen, n);
      probeLen += n;
      if (probeLen < PROBE_BYTES) {
        return;
      }
      protocol = recognise(probe, probeLen);
      if (protocol == null) {
        rejected = true;
        return;
      }
      probing = false;
      start();
      if (zab != null) {
        zab.fromClient(probe, 0, probeLen, nanos);
        zab.fromClient(buf, off + n, len - n, nanos);
      } else {
        election.fromClient(probe, 0, probeLen, nanos);
        election.fromClient(buf, off + n, len - n, nanos);
      }
      probe = null;
    }

    void close(long nanos) {
      c2s.flush();
      s2c.flush();
      if (zab != null) {
        zab.close(nanos);
      } else if (election != null) {
        election.close(nanos);
      }
    }
  }
}
