package dev.zkdigest.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;

/** A real ZooKeeper server inside this process, for the demo: loopback, a free port, temp data. */
final class DemoZooKeeper implements AutoCloseable {
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final Path dataDir;

  DemoZooKeeper() throws IOException, InterruptedException {
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    System.setProperty("zookeeper.sasl.client", "false");
    System.setProperty("zookeeper.jmx.log4j.disable", "true");
    dataDir = Files.createTempDirectory("zkdigest-demo-");
    server = new ZooKeeperServer(dataDir.toFile(), dataDir.toFile(), 2000);
    factory =
        ServerCnxnFactory.createFactory(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 5000);
    factory.startup(server);
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), factory.getLocalPort());
  }

  @Override
  public void close() {
    factory.shutdown();
    server.shutdown();
    try (var files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
