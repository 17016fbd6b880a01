package dev.zkdigest.capture;

import dev.zkdigest.protocol.FourLetterWords;

/**
 * Which endpoints are ZooKeeper servers: those configured ({@link ServerMatcher}), and those
 * learned from the traffic itself. A server is learned from a connection to it seen from its SYN
 * whose first client bytes are a ConnectRequest, or whose client sends a four-letter word that the
 * server answers. From then on every connection to it is analysed, four-letter words included.
 *
 * <p>Every shard of a parallel replay runs its own learner over every segment of the capture (not
 * only its own flows), so all shards know the same servers at the same packet, and what is analysed
 * never depends on the number of threads.
 *
 * <p>Memory: at most {@link #MAX_PROBES} flows being probed (the oldest probe is given up past
 * that) of {@link #PROBE_BYTES} bytes each, and at most {@link #MAX_LEARNED} learned servers.
 *
 * <p>Threading: confined to one decoding thread.
 */
public final class ServerLearner {
  /** Client bytes looked at: a ConnectRequest with a 16-byte password takes 49. */
  static final int PROBE_BYTES = 64;

  /** A ConnectRequest's length prefix and fixed fields. */
  private static final int CONNECT_REQUEST_MIN = 4 + 28;

  private static final int WORD = 4;

  static final int MAX_PROBES = 4096;
  static final int MAX_LEARNED = 1024;

  private enum State {
    /** Waiting for the client's first bytes. */
    CLIENT_FIRST,
    /** The client sent a four-letter word; an answer from the server makes it a ZooKeeper. */
    FOUR_LETTER_WORD
  }

  private static final class Probe extends FlowTable.Flow {
    final long expectedStart;
    final byte[] bytes = new byte[PROBE_BYTES];
    int len;
    State state = State.CLIENT_FIRST;

    Probe(TcpSegment syn) {
      super(syn.ipv6, syn.srcHi, syn.srcLo, syn.srcPort, syn.dstHi, syn.dstLo, syn.dstPort);
      this.expectedStart = (syn.seq & 0xffffffffL) + 1;
    }
  }

  private final ServerMatcher configured;
  private final FlowTable<Probe> probes = new FlowTable<>();
  private boolean[] learnedV6 = new boolean[16];
  private long[] learnedHi = new long[16];
  private long[] learnedLo = new long[16];
  private int[] learnedPort = new int[16];
  private int learned;

  public ServerLearner(ServerMatcher configured) {
    this.configured = configured;
  }

  /** Whether the endpoint is a ZooKeeper server, configured or learned so far. */
  public boolean isServer(boolean ipv6, long hi, long lo, int port) {
    return configured.isServer(ipv6, hi, lo, port)
        || (learned > 0 && isLearned(ipv6, hi, lo, port));
  }

  /** Servers learned from the traffic so far. */
  public int learnedCount() {
    return learned;
  }

  /** Whether the flow from this client to this server is still being probed. */
  boolean isProbing(boolean v6, long cHi, long cLo, int cPort, long sHi, long sLo, int sPort) {
    return probes.find(v6, cHi, cLo, cPort, sHi, sLo, sPort) != null;
  }

  /** Looks at one segment of the capture, whichever shard analyses its flow. */
  public void observe(TcpSegment s) {
    if (isServer(s.ipv6, s.dstHi, s.dstLo, s.dstPort)
        || isServer(s.ipv6, s.srcHi, s.srcLo, s.srcPort)) {
      return;
    }
    if (s.has(TcpSegment.SYN)) {
      if (!s.has(TcpSegment.ACK)
          && probes.find(s.ipv6, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort)
              == null) {
        if (probes.size() >= MAX_PROBES) {
          probes.remove(probes.oldest());
        }
        probes.add(new Probe(s));
      }
      return;
    }
    Probe p = probes.find(s.ipv6, s.srcHi, s.srcLo, s.srcPort, s.dstHi, s.dstLo, s.dstPort);
    if (p != null) {
      fromClient(p, s);
      return;
    }
    p = probes.find(s.ipv6, s.dstHi, s.dstLo, s.dstPort, s.srcHi, s.srcLo, s.srcPort);
    if (p != null && (s.payloadOnWire > 0 || s.has(TcpSegment.FIN) || s.has(TcpSegment.RST))) {
      // The server spoke: a ZooKeeper server only ever answers, and a four-letter word first.
      if (p.state == State.FOUR_LETTER_WORD && s.payloadOnWire > 0) {
        learn(p);
      }
      probes.remove(p);
    }
  }

  private void fromClient(Probe p, TcpSegment s) {
    if (s.has(TcpSegment.RST) || s.has(TcpSegment.FIN) && s.payloadOnWire == 0) {
      probes.remove(p);
      return;
    }
    if (s.payloadOnWire == 0 || p.state == State.FOUR_LETTER_WORD) {
      return; // what follows a four-letter word (a newline, say) does not matter
    }
    long at = p.expectedStart + p.len;
    long seq = s.seq & 0xffffffffL;
    if (seq != at) {
      if (seq > at || s.payloadLength < s.payloadOnWire) {
        probes.remove(p); // out of order or cut short: too little to tell, give up
      }
      return; // a retransmission of what we have
    }
    int n = Math.min(s.payloadLength, PROBE_BYTES - p.len);
    System.arraycopy(s.data, s.payloadOffset, p.bytes, p.len, n);
    p.len += n;
    if (p.len >= WORD && FourLetterWords.of(CaptureFileReader.intBE(p.bytes, 0)) != null) {
      p.state = State.FOUR_LETTER_WORD;
    } else if (p.len >= CONNECT_REQUEST_MIN) {
      if (HandshakeProbe.isConnectRequest(p.bytes, p.len)) {
        learn(p);
      }
      probes.remove(p);
    }
  }

  private void learn(Probe p) {
    if (learned >= MAX_LEARNED || isLearned(p.ipv6, p.serverHi, p.serverLo, p.serverPort)) {
      return;
    }
    if (learned == learnedPort.length) {
      int n = learned * 2;
      learnedV6 = java.util.Arrays.copyOf(learnedV6, n);
      learnedHi = java.util.Arrays.copyOf(learnedHi, n);
      learnedLo = java.util.Arrays.copyOf(learnedLo, n);
      learnedPort = java.util.Arrays.copyOf(learnedPort, n);
    }
    learnedV6[learned] = p.ipv6;
    learnedHi[learned] = p.serverHi;
    learnedLo[learned] = p.serverLo;
    learnedPort[learned] = p.serverPort;
    learned++;
  }

  private boolean isLearned(boolean ipv6, long hi, long lo, int port) {
    // A handful of servers per capture: a scan is cheaper than hashing.
    for (int i = 0; i < learned; i++) {
      if (learnedPort[i] == port
          && learnedLo[i] == lo
          && learnedHi[i] == hi
          && learnedV6[i] == ipv6) {
        return true;
      }
    }
    return false;
  }
}
