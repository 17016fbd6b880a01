package dev.zkdigest.cli;

import dev.zkdigest.capture.Endpoint;
import dev.zkdigest.quorum.Identities;
import dev.zkdigest.quorum.QuorumConfig;
import dev.zkdigest.quorum.QuorumProtocol;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The servers an {@code --ensemble} file lists ({@code server.N=host:quorumPort:electionPort...} in
 * {@code zoo.cfg}, or in the dynamic configuration file it names): where each listens, and which id
 * it has. Host names are resolved here, since the user wrote them.
 *
 * @param endpoints every quorum and election endpoint, with its protocol
 * @param identities {@code ip:port} and IP to server id
 */
record Ensemble(Map<Endpoint, QuorumProtocol> endpoints, Identities identities) {

  static final Ensemble NONE = new Ensemble(Map.of(), Identities.EMPTY);

  /** Reads {@code file}; one-line {@link IllegalArgumentException}s for what is wrong with it. */
  static Ensemble read(Path file) {
    QuorumConfig config = parse(file);
    if (config.members().isEmpty()) {
      Path dynamic = dynamicFile(file);
      if (dynamic != null) {
        config = parse(dynamic);
      }
    }
    if (config.members().isEmpty()) {
      throw new IllegalArgumentException("--ensemble " + file + " lists no server.N= lines");
    }
    Map<Endpoint, QuorumProtocol> endpoints = new HashMap<>();
    TreeMap<String, Long> byEndpoint = new TreeMap<>();
    TreeMap<String, Set<Long>> byIp = new TreeMap<>();
    for (QuorumConfig.Member m : config.members()) {
      for (QuorumConfig.HostPort hp : m.quorum()) {
        add(hp, m.sid(), QuorumProtocol.ZAB, endpoints, byEndpoint, byIp);
      }
      for (QuorumConfig.HostPort hp : m.election()) {
        add(hp, m.sid(), QuorumProtocol.ELECTION, endpoints, byEndpoint, byIp);
      }
    }
    return new Ensemble(endpoints, new Identities(byEndpoint, byIp));
  }

  private static void add(
      QuorumConfig.HostPort hp,
      long sid,
      QuorumProtocol protocol,
      Map<Endpoint, QuorumProtocol> endpoints,
      Map<String, Long> byEndpoint,
      Map<String, Set<Long>> byIp) {
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(hp.host());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "cannot resolve host '" + hp.host() + "' of server." + sid + " in --ensemble");
    }
    for (InetAddress a : all) {
      Endpoint ep = Endpoint.of(a, hp.port());
      endpoints.put(ep, protocol);
      byEndpoint.put(ep.toString(), sid);
      byIp.computeIfAbsent(ep.ip(), k -> new TreeSet<>()).add(sid);
    }
  }

  private static QuorumConfig parse(Path file) {
    try {
      return QuorumConfig.parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read --ensemble " + file + ": " + e.getClass().getSimpleName());
    }
  }

  /** The {@code dynamicConfigFile=} zoo.cfg names (3.5+), relative to zoo.cfg; or null. */
  private static Path dynamicFile(Path file) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        String l = line.trim();
        if (l.startsWith("dynamicConfigFile")) {
          int eq = l.indexOf('=');
          if (eq > 0) {
            Path p = Path.of(l.substring(eq + 1).trim());
            Path dir = file.toAbsolutePath().getParent();
            return p.isAbsolute() || dir == null ? p : dir.resolve(p);
          }
        }
      }
    } catch (IOException e) {
      return null;
    }
    return null;
  }
}
