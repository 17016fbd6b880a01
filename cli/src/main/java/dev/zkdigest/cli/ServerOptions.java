package dev.zkdigest.cli;

import dev.zkdigest.capture.Endpoint;
import dev.zkdigest.capture.ServerMatcher;
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
