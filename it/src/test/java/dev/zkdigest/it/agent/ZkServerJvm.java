package dev.zkdigest.it.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real ZooKeeper server ({@code ZooKeeperServerMain}) of a given version in a child JVM, on
 * loopback ports: plain, and TLS when given material (which needs the Netty connection factory).
 */
final class ZkServerJvm implements AutoCloseable {
  static final String NIO = "org.apache.zookeeper.server.NIOServerCnxnFactory";
  static final String NETTY = "org.apache.zookeeper.server.NettyServerCnxnFactory";

  private final Jvm jvm;
  final int port;
  final int securePort;

  private ZkServerJvm(Jvm jvm, int port, int securePort) {
    this.jvm = jvm;
    this.port = port;
    this.securePort = securePort;
  }

  /**
   * @param tls null for a plain server only
   * @param agentArgs the agent's arguments, or null to run without the agent
   */
  static ZkServerJvm start(
      Path dir, String version, String factory, TlsMaterial tls, String agentArgs)
      throws Exception {
    int port = free();
    int securePort = tls != null ? free() : -1;
    Path data = Files.createDirectories(dir.resolve("data"));
    List<String> cfg = new ArrayList<>();
    cfg.add("dataDir=" + data);
    cfg.add("clientPortAddress=127.0.0.1");
    cfg.add("clientPort=" + port);
    if (tls != null) {
      cfg.add("secureClientPortAddress=127.0.0.1");
      cfg.add("secureClientPort=" + securePort);
    }
    cfg.add("admin.enableServer=false");
    cfg.add("4lw.commands.whitelist=*");
    Path zooCfg = dir.resolve("zoo.cfg");
    Files.write(zooCfg, cfg);
    List<String> jvmArgs = new ArrayList<>(Jvm.agent(agentArgs));
    jvmArgs.add("-Dzookeeper.serverCnxnFactory=" + factory);
    if (tls != null) {
      jvmArgs.addAll(tls.systemProperties());
    }
    Jvm jvm =
        Jvm.start(
            dir,
            "server",
            jvmArgs,
            Jvm.zookeeperClasspath(version),
            "org.apache.zookeeper.server.ZooKeeperServerMain",
            zooCfg.toString());
    ZkServerJvm server = new ZkServerJvm(jvm, port, securePort);
    server.awaitListening(port);
    if (tls != null) {
      server.awaitListening(securePort);
    }
    return server;
  }

  String connect() {
    return "127.0.0.1:" + port;
  }

  String secureConnect() {
    return "127.0.0.1:" + securePort;
  }

  Jvm jvm() {
    return jvm;
  }

  private void awaitListening(int p) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!jvm.isAlive()) {
        throw new IllegalStateException("ZooKeeper exited; its stderr:\n" + jvm.stderr());
      }
      // The port accepts before the server serves: ask it (srvr answers once it does).
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", p), 1000);
        s.setSoTimeout(2_000); // a server still starting may take the question and never answer
        if (p == port) {
          s.getOutputStream().write("srvr".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          String answer =
              new String(
                  s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
          if (answer.contains("Zookeeper version")) {
            return;
          }
        } else {
          return;
        }
      } catch (IOException e) {
        // not yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("ZooKeeper not listening on " + p + ":\n" + jvm.stderr());
  }

  /** Stops the server as an operator would (SIGTERM): the agent writes its report then. */
  int stop() throws InterruptedException {
    return jvm.terminate(Duration.ofSeconds(60));
  }

  private static int free() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    jvm.close();
  }
}
