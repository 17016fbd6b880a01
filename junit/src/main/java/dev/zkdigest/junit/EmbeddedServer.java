package dev.zkdigest.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/**
 * A standalone ZooKeeper server in this JVM: loopback, a free port, its data in a temporary
 * directory removed at {@link #close}. ZooKeeper's own NIO connection factory, so it needs no
 * Netty.
 */
final class EmbeddedServer implements AutoCloseable {
  /** ZooKeeper's default tick; sessions may last from two ticks to twenty. */
  private static final int TICK_MILLIS = 2_000;

  /** No limit on connections per client address: every test client comes from loopback. */
  private static final int UNLIMITED_CONNECTIONS = 0;

  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final Path dataDir;

  private EmbeddedServer(ZooKeeperServer server, ServerCnxnFactory factory, Path dataDir) {
    this.server = server;
    this.factory = factory;
    this.dataDir = dataDir;
  }

  static EmbeddedServer start() throws IOException, InterruptedException {
    // Without it, createTTL and createContainer's TTL variant are refused; a test server should
    // accept what a production one can be configured to.
    defaultProperty("zookeeper.extendedTypesEnabled", "true");
    defaultProperty("zookeeper.admin.enableServer", "false");
    Path dir = Files.createTempDirectory("zkdigest-junit-");
    ZooKeeperServer zks = new ZooKeeperServer(dir.toFile(), dir.toFile(), TICK_MILLIS);
    ServerCnxnFactory f =
        ServerCnxnFactory.createFactory(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), UNLIMITED_CONNECTIONS);
    try {
      f.startup(zks);
    } catch (IOException | InterruptedException | RuntimeException e) {
      f.shutdown();
      delete(dir);
      throw e;
    }
    return new EmbeddedServer(zks, f, dir);
  }

  private static void defaultProperty(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), factory.getLocalPort());
  }

  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
    delete(dataDir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }
}
