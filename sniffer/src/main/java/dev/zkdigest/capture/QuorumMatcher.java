package dev.zkdigest.capture;

import dev.zkdigest.quorum.QuorumProtocol;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tells which TCP endpoints speak a quorum protocol: any address on a {@code --quorum-port} or
 * {@code --election-port}, and the servers an {@code --ensemble} file lists. Flows on other ports
 * may still be taken when their first bytes prove them quorum traffic (see {@link QuorumTracker}).
 *
 * <p>Threading: immutable.
 */
public final class QuorumMatcher {
  public static final int DEFAULT_QUORUM_PORT = 2888;
  public static final int DEFAULT_ELECTION_PORT = 3888;

  private final BitSet quorumPorts = new BitSet(65536);
  private final BitSet electionPorts = new BitSet(65536);
  private final Endpoint[] endpoints;
  private final QuorumProtocol[] endpointProtocols;

  /**
   * @param servers endpoints of known servers (from {@code --ensemble}) and their protocol
   */
  public QuorumMatcher(
      Set<Integer> quorumPorts, Set<Integer> electionPorts, Map<Endpoint, QuorumProtocol> servers) {
    for (int p : quorumPorts) {
      check(p);
      this.quorumPorts.set(p);
    }
    for (int p : electionPorts) {
      check(p);
      this.electionPorts.set(p);
    }
    this.endpoints = servers.keySet().toArray(new Endpoint[0]);
    this.endpointProtocols = new QuorumProtocol[endpoints.length];
    for (int i = 0; i < endpoints.length; i++) {
      endpointProtocols[i] = servers.get(endpoints[i]);
    }
  }

  /** The default ports, 2888 and 3888. */
  public static QuorumMatcher defaults() {
    return new QuorumMatcher(Set.of(DEFAULT_QUORUM_PORT), Set.of(DEFAULT_ELECTION_PORT), Map.of());
  }

  private static void check(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is out of range");
    }
  }

  /** The protocol a server at this endpoint speaks, or null. */
  public QuorumProtocol protocolAt(boolean ipv6, long hi, long lo, int port) {
    for (int i = 0; i < endpoints.length; i++) {
      Endpoint e = endpoints[i];
      if (e.port() == port && e.lo() == lo && e.hi() == hi && e.ipv6() == ipv6) {
        return endpointProtocols[i];
      }
    }
    if (quorumPorts.get(port)) {
      return QuorumProtocol.ZAB;
    }
    if (electionPorts.get(port)) {
      return QuorumProtocol.ELECTION;
    }
    return null;
  }

  /** Whether either end of the segment's flow is a quorum endpoint. */
  public boolean matches(TcpSegment s) {
    return protocolAt(s.ipv6, s.dstHi, s.dstLo, s.dstPort) != null
        || protocolAt(s.ipv6, s.srcHi, s.srcLo, s.srcPort) != null;
  }

  /** The capture filter terms for these ports and endpoints, e.g. {@code port 2888}. */
  public List<String> bpfTerms() {
    TreeSet<String> terms = new TreeSet<>();
    quorumPorts.stream().forEach(p -> terms.add("port " + p));
    electionPorts.stream().forEach(p -> terms.add("port " + p));
    for (Endpoint e : endpoints) {
      terms.add("(host " + e.ip() + " and port " + e.port() + ")");
    }
    return List.copyOf(terms);
  }
}
