package dev.zkdigest.it;

import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.server.NettyServerCnxnFactory;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.auth.ProviderRegistry;
import org.apache.zookeeper.server.auth.X509AuthenticationProvider;

/**
 * A real ZooKeeper server in this JVM, on a loopback address and a free port: a plain client port,
 * or a TLS one ({@link #startSecure}, ZooKeeper's {@code secureClientPort} with its Netty server).
 */
public final class EmbeddedZooKeeper implements AutoCloseable {
  private static final String SSL = "zookeeper.ssl.";
  private static final String X509_PROVIDER = "zookeeper.authProvider.x509";

  /**
   * What a TLS server presents and trusts. ZooKeeper reads its TLS settings from system properties
   * for each new connection, so one secure server at a time per JVM.
   *
   * @param keyStore PKCS#12 with the server's key and chain
   * @param trustStore PEM CA certificates that client certificates must chain to (ZooKeeper
   *     requires client certificates by default: {@code ssl.clientAuth=need})
   */
  public record Tls(Path keyStore, String password, Path trustStore) {}

  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final Path dataDir;
  private final String host;
  private final int port;
  private final Tls tls;
  private boolean keepData;

  private EmbeddedZooKeeper(String host, int port) throws Exception {
    this(host, port, Files.createTempDirectory("zkdigest-it-zk"));
  }

  private EmbeddedZooKeeper(String host, int port, Path dataDir) throws Exception {
    this(host, port, dataDir, null);
  }

  private EmbeddedZooKeeper(String host, int port, Path dataDir, Tls tls) throws Exception {
    System.setProperty("zookeeper.extendedTypesEnabled", "true");
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.4lw.commands.whitelist", "*");
    this.host = host;
    this.dataDir = dataDir;
    this.tls = tls;
    File dir = dataDir.toFile();
    this.server = new ZooKeeperServer(dir, dir, 2000);
    InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(host), port);
    if (tls == null) {
      this.factory = ServerCnxnFactory.createFactory(addr, 2000);
    } else {
      System.setProperty(SSL + "keyStore.location", tls.keyStore().toString());
      System.setProperty(SSL + "keyStore.password", tls.password());
      System.setProperty(SSL + "keyStore.type", "PKCS12");
      System.setProperty(SSL + "trustStore.location", tls.trustStore().toString());
      System.setProperty(SSL + "trustStore.type", "PEM");
      // The x509 scheme authenticates TLS clients; its provider reads the trust store when made,
      // so it is made again for this server's.
      System.setProperty(X509_PROVIDER, X509AuthenticationProvider.class.getName());
      ProviderRegistry.addOrUpdateProvider(X509_PROVIDER);
      String factoryProperty = ServerCnxnFactory.ZOOKEEPER_SERVER_CNXN_FACTORY;
      System.setProperty(factoryProperty, NettyServerCnxnFactory.class.getName());
      try {
        this.factory = ServerCnxnFactory.createFactory();
      } finally {
        System.clearProperty(factoryProperty);
      }
      factory.configure(addr, 2000, -1, true);
    }
    factory.startup(server);
    this.port = factory.getLocalPort();
  }

  /** A ZooKeeper serving only TLS on its client port, as {@code secureClientPort} does. */
  public static EmbeddedZooKeeper startSecure(String host, Tls tls) throws Exception {
    return new EmbeddedZooKeeper(host, 0, Files.createTempDirectory("zkdigest-it-zk"), tls);
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
    return new EmbeddedZooKeeper(stopped.host, stopped.port(), stopped.dataDir, stopped.tls);
  }

  public int port() {
    return port;
  }

  public String connectString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
  }

  @Override
  public void close() throws Exception {
    if (keepData) {
      return; // stopped already; the restarted instance owns the data now
    }
    factory.shutdown();
    server.shutdown();
    if (tls != null) {
      for (String p : new String[] {"keyStore.location", "keyStore.password", "keyStore.type"}) {
        System.clearProperty(SSL + p);
      }
      System.clearProperty(SSL + "trustStore.location");
      System.clearProperty(SSL + "trustStore.type");
    }
    try (var files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
