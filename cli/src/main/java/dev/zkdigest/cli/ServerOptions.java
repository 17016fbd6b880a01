package dev.zkdigest.cli;

import dev.zkdigest.capture.Endpoint;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** Which side of captured flows is the ZooKeeper server. */
final class ServerOptions {
  @Option(
      names = "--servers",
      paramLabel = "HOST:PORT,...",
      description = "ZooKeeper servers, as host:port separated by commas.")
  String servers;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      split = ",",
      description = "ZooKeeper client port(s) (default: 2181).")
  List<Integer> ports = new ArrayList<>();

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description =
          "Connections tracked at once; past this the least recently active is closed (default:"
              + " one per 5 KiB of heap, at most 100,000).")
  Integer maxConnections;

  /** The cap on connections tracked at once, checked. */
  int maxConnections() {
    if (maxConnections == null) {
      return TcpTracker.defaultMaxConnections();
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("--max-connections must be at least 1");
    }
    return maxConnections;
  }

  ServerMatcher matcher() {
    Set<Endpoint> eps = servers != null ? ServerMatcher.parseServers(servers) : Set.of();
    List<Integer> p = ports.isEmpty() ? List.of(ServerMatcher.DEFAULT_PORT) : ports;
    for (int port : p) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--port " + port + " is out of range");
      }
    }
    return new ServerMatcher(eps, Set.copyOf(p));
  }
}
