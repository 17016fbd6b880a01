package dev.zkdigest.cli;

import dev.zkdigest.capture.Endpoint;
import dev.zkdigest.capture.QuorumMatcher;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import java.nio.file.Path;
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

  @Option(
      names = "--quorum-port",
      paramLabel = "PORT",
      split = ",",
      description = "Port(s) of ZAB between servers, leader to learners (default: 2888).")
  List<Integer> quorumPorts = new ArrayList<>();

  @Option(
      names = "--election-port",
      paramLabel = "PORT",
      split = ",",
      description = "Port(s) of leader election between servers (default: 3888).")
  List<Integer> electionPorts = new ArrayList<>();

  @Option(
      names = "--ensemble",
      paramLabel = "ZOO_CFG",
      description =
          "A zoo.cfg (or dynamic config) whose server.N lines name the servers: their quorum and"
              + " election ports, and their ids.")
  Path ensembleFile;

  private Ensemble ensemble;

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

  /** The servers {@code --ensemble} lists, read once. */
  Ensemble ensemble() {
    if (ensemble == null) {
      ensemble = ensembleFile == null ? Ensemble.NONE : Ensemble.read(ensembleFile);
    }
    return ensemble;
  }

  /** Which flows are quorum traffic: the quorum and election ports, and the ensemble's servers. */
  QuorumMatcher quorumMatcher() {
    List<Integer> q =
        quorumPorts.isEmpty() ? List.of(QuorumMatcher.DEFAULT_QUORUM_PORT) : quorumPorts;
    List<Integer> e =
        electionPorts.isEmpty() ? List.of(QuorumMatcher.DEFAULT_ELECTION_PORT) : electionPorts;
    for (int port : q) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--quorum-port " + port + " is out of range");
      }
    }
    for (int port : e) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("--election-port " + port + " is out of range");
      }
    }
    return new QuorumMatcher(Set.copyOf(q), Set.copyOf(e), ensemble().endpoints());
  }
}
