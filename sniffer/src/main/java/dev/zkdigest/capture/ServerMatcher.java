package dev.zkdigest.capture;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells which end of a TCP flow is the ZooKeeper server: an endpoint listed with {@code --servers},
 * else any address on a {@code --port}. Flows that match neither may still be taken when their
 * handshake proves them ZooKeeper (see {@link TcpTracker}).
 */
public final class ServerMatcher {
  public static final int DEFAULT_PORT = 2181;

  private final Set<Endpoint> servers;
  private final Set<Integer> ports;
  // Asked twice per packet: a flat copy of each set, so the question allocates nothing.
  private final Endpoint[] serverArray;
  private final java.util.BitSet portBits = new java.util.BitSet(65536);

  public ServerMatcher(Set<Endpoint> servers, Set<Integer> ports) {
    this.servers = Set.copyOf(servers);
    this.ports = Set.copyOf(ports);
    this.serverArray = this.servers.toArray(new Endpoint[0]);
    for (int p : this.ports) {
      if (p >= 0 && p < 65536) {
        portBits.set(p);
      }
    }
  }

  public static ServerMatcher ports(int... ports) {
    Set<Integer> s = new HashSet<>();
    for (int p : ports) {
      s.add(p);
    }
    return new ServerMatcher(Set.of(), s);
  }

  /**
   * Parses {@code host:port,host:port} as the original tool did; every address a host name resolves
   * to counts.
   */
  public static Set<Endpoint> parseServers(String spec) {
    Set<Endpoint> out = new HashSet<>();
    for (String item : spec.split(",")) {
      String s = item.trim();
      if (s.isEmpty()) {
        continue;
      }
      int colon = s.lastIndexOf(':');
      if (colon <= 0 || colon == s.length() - 1) {
        throw new IllegalArgumentException("expected host:port in --servers, got '" + s + "'");
      }
      String host = s.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(s.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad port in --servers entry '" + s + "'");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port out of range in --servers entry '" + s + "'");
      }
      try {
        for (InetAddress a : InetAddress.getAllByName(host)) {
          out.add(Endpoint.of(a, port));
        }
        if (host.equals("localhost")) {
          out.add(Endpoint.of(InetAddress.getByName("127.0.0.1"), port));
          out.add(Endpoint.of(InetAddress.getByName("::1"), port));
        }
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("cannot resolve host '" + host + "' in --servers");
      }
    }
    return out;
  }

  public boolean isServer(boolean ipv6, long hi, long lo, int port) {
    if (serverArray.length > 0) {
      for (Endpoint e : serverArray) {
        if (e.port() == port && e.lo() == lo && e.hi() == hi && e.ipv6() == ipv6) {
          return true;
        }
      }
      return false;
    }
    return portBits.get(port);
  }

  /** The BPF filter that keeps only these servers' traffic, e.g. {@code tcp and (port 2181)}. */
  public String bpf() {
    List<String> terms = new java.util.ArrayList<>();
    if (!servers.isEmpty()) {
      for (Endpoint e : servers) {
        terms.add("(host " + e.ip() + " and port " + e.port() + ")");
      }
    } else {
      for (int p : new java.util.TreeSet<>(ports)) {
        terms.add("port " + p);
      }
    }
    java.util.Collections.sort(terms);
    return "tcp and (" + String.join(" or ", terms) + ")";
  }
}
