package dev.zkdigest.junit;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * The zkdigest proxy on loopback in front of ZooKeeper servers, one listening port per server so a
 * client's own failover still works; with {@code embedded}, in front of a server of its own.
 */
final class ProxySource implements TrafficSource {
  /** One event loop: a test's traffic is light, and the test's own threads need the cores. */
  private static final int EVENT_LOOPS = 1;

  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final Supplier<String> upstream;
  private final boolean embedded;
  private EmbeddedServer server;
  private ZkProxy proxy;
  private String description;

  private ProxySource(Supplier<String> upstream, boolean embedded) {
    this.upstream = upstream;
    this.embedded = embedded;
  }

  static ProxySource embedded() {
    return new ProxySource(null, true);
  }

  /** In front of the servers of a connect string, resolved when the extension starts. */
  static ProxySource upstream(Supplier<String> connectString) {
    return new ProxySource(connectString, false);
  }

  @Override
  public String start(Supplier<TrafficListener> listeners) throws Exception {
    String target;
    if (embedded) {
      server = EmbeddedServer.start();
      InetSocketAddress a = server.address();
      target = ConnectionMeta.hostPort(a.getAddress().getHostAddress(), a.getPort());
    } else {
      target = upstream.get();
      if (target == null || target.isBlank()) {
        throw new IllegalStateException("ZkDigestExtension.upstream: no connect string given");
      }
    }
    ConnectString cs = ConnectString.parse(target);
    List<Route> routes = new ArrayList<>();
    for (InetSocketAddress s : cs.servers()) {
      routes.add(new Route(InetSocketAddress.createUnresolved("127.0.0.1", 0), s));
    }
    try {
      proxy =
          ZkProxy.start(
              routes,
              new ZkProxy.Options(
                  ZkProxy.Options.DEFAULTS.protocol(), CONNECT_TIMEOUT_MILLIS, EVENT_LOOPS),
              listeners);
    } catch (Exception e) {
      close();
      throw e;
    }
    StringJoiner clients = new StringJoiner(",", "", cs.chroot());
    for (InetSocketAddress bound : proxy.boundAddresses()) {
      clients.add("127.0.0.1:" + bound.getPort());
    }
    description =
        "proxy "
            + clients
            + " -> "
            + (embedded ? "embedded ZooKeeper " : "")
            + String.join(",", cs.serverStrings());
    return clients.toString();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    if (proxy != null) {
      proxy.close();
      proxy = null;
    }
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
