package dev.zkdigest.it;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/** A real ZooKeeper server in this JVM, on a loopback address and a free port. */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final Path dataDir;
  private final String host;
  private final int port;
  private boolean keepData;

  private EmbeddedZooKeeper(String host, int port) throws Exception {
    this(host, port, Files.createTempDirectory("zkdigest-it-zk"));
  }

  private EmbeddedZooKeeper(String host, int port, Path dataDir) throws Exception {
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    this.host = host;
    this.dataDir = dataDir;
    File dir = dataDir.toFile();
    this.server = new ZooKeeperServer(dir, dir, 2000);
    this.factory =
        ServerCnxnFactory.createFactory(
            new InetSocketAddress(InetAddress.getByName(host), port), 2000);
    factory.startup(server);
    this.port = factory.getLocalPort();
  }

  public static EmbeddedZooKeeper start(String host) throws Exception {
    return new EmbeddedZooKeeper(host, 0);
  }

  public static EmbeddedZooKeeper start(String host, int port) throws Exception {
    return new EmbeddedZooKeeper(host, port);
  }

  /** Stops serving but keeps the data, so {@link #restart} brings the same state back. */
  void stopKeepingData() {
    keepData = true;
    factory.shutdown();
    server.shutdown();
  }

  static EmbeddedZooKeeper restart(EmbeddedZooKeeper stopped) throws Exception {
    return new EmbeddedZooKeeper(stopped.host, stopped.port(), stopped.dataDir);
  }

  public int port() {
    return port;
  }

  String connectString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  @Override
  public void close() throws Exception {
    if (keepData) {
      return; // stopped already; the restarted instance owns the data now
    }
    factory.shutdown();
    server.shutdown();
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
