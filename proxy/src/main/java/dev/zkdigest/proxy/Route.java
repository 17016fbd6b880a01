package dev.zkdigest.proxy;

import java.net.InetSocketAddress;

/**
 * One listening address and the ZooKeeper server it forwards to, each side plain TCP or TLS.
 *
 * @param listenerTls TLS towards clients, or null for plain TCP
 * @param upstreamTls TLS towards the server, or null for plain TCP
 */
public record Route(
    InetSocketAddress listen,
    InetSocketAddress upstream,
    ListenerTls listenerTls,
    UpstreamTls upstreamTls) {

  /** Plain TCP on both sides. */
  public Route(InetSocketAddress listen, InetSocketAddress upstream) {
    this(listen, upstream, null, null);
  }

  public Route withTls(ListenerTls listenerTls, UpstreamTls upstreamTls) {
    return new Route(listen, upstream, listenerTls, upstreamTls);
  }

  /** Parses {@code [HOST:]PORT} for listening (host defaults to 127.0.0.1) or {@code HOST:PORT}. */
  public static InetSocketAddress parseAddress(String s, String defaultHost) {
    String host = defaultHost;
    String port = s;
    int colon = s.lastIndexOf(':');
    if (colon >= 0) {
      host = s.substring(0, colon);
      port = s.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    }
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + s + "'");
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + s + "'");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port out of range in '" + s + "'");
    }
    return InetSocketAddress.createUnresolved(host, p);
  }

  /** {@code LISTEN=UPSTREAM}, as given to {@code --route}. */
  public static Route parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException(
          "expected --route [HOST:]PORT=HOST:PORT, got '" + spec + "'");
    }
    return new Route(
        parseAddress(spec.substring(0, eq), "127.0.0.1"),
        parseAddress(spec.substring(eq + 1), null));
  }
}
