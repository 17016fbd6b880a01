package dev.zkdigest.bench;

import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.TestCertificates;
import dev.zkdigest.it.TlsFixture;
import dev.zkdigest.it.Workload;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * {@link ProxyLoad} over TLS: ZooKeeper's Java client with TLS (mutual, its Netty socket) driving a
 * ZooKeeper serving TLS directly, through {@code zkdigest proxy} terminating TLS on both sides with
 * OpenSSL and with the JDK's engine, and through haproxy doing the same with the same certificates.
 * Reports the same table: throughput, latency, and the proxy process's CPU per million operations.
 *
 * <p>Run with {@code benchmarks/tls-proxy-load.sh [RATE] [SECONDS] [CLIENTS]}; {@code PIN}, {@code
 * ROUNDS} and {@code WARMUP} as for {@link ProxyLoad}; {@code PROXY_VARIANTS="jdk
 * -XX:TieredStopAtLevel=4;..."} adds zkdigest proxies with that engine and those JVM options.
 */
public final class TlsProxyLoad {
  private TlsProxyLoad() {}

  public static void main(String[] args) throws Exception {
    List<Process> procs = new ArrayList<>();
    int code = 1;
    try {
      measure(args, procs);
      code = 0;
    } catch (Exception e) {
      e.printStackTrace(); // exiting below would hide it
    } finally {
      for (Process p : procs) {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
      // ZooKeeper's TLS client leaves a Netty executor thread that is not a daemon behind.
      System.exit(code);
    }
  }

  private static void measure(String[] args, List<Process> procs) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    Path root = Path.of(args.length > 3 ? args[3] : ".").toAbsolutePath();
    boolean pin = "1".equals(System.getenv("PIN"));
    int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "1"));
    int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "5"));
    Path dir = Files.createTempDirectory("zkdigest-tls-bench");
    TlsFixture tls = new TlsFixture(dir);
    TestCertificates.Issued app = tls.clientsCa.issue("load");
    ZKClientConfig direct = tls.clientConfig(app, tls.zookeeperCaPem);
    ZKClientConfig viaProxy = tls.clientConfig(app, tls.proxyCaPem);
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls());
    int zkPort = zk.port();
    record Way(String name, String connect, ZKClientConfig config, Long pid) {}
    List<Way> ways = new ArrayList<>();
    ways.add(new Way("direct (TLS)", "127.0.0.1:" + zkPort, direct, null));
    List<String[]> proxies = new ArrayList<>();
    proxies.add(new String[] {"openssl", ""});
    proxies.add(new String[] {"jdk", ""});
    String extra = System.getenv("PROXY_VARIANTS"); // "ENGINE JAVA_OPTS;..."
    if (extra != null && !extra.isBlank()) {
      for (String v : extra.split(";")) {
        String[] parts = v.trim().split("\\s+", 2);
        proxies.add(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
      }
    }
    for (int v = 0; v < proxies.size(); v++) {
      String engine = proxies.get(v)[0];
      String javaOpts = proxies.get(v)[1];
      int port = ProxyLoad.free();
      List<String> cmd = new ArrayList<>();
      if (pin) {
        cmd.addAll(List.of("taskset", "-c", "1"));
      }
      cmd.addAll(
          List.of(
              root.resolve("zkdigest").toString(),
              "proxy",
              "--listen",
              "127.0.0.1:" + port,
              "--upstream",
              "127.0.0.1:" + zkPort,
              "--tls-cert",
              tls.proxyListening.cert().toString(),
              "--tls-key",
              tls.proxyListening.key().toString(),
              "--tls-client-ca",
              tls.clientsCaPem.toString(),
              "--upstream-tls",
              "--upstream-ca",
              tls.zookeeperCaPem.toString(),
              "--upstream-cert",
              tls.proxyToZooKeeper.cert().toString(),
              "--upstream-key",
              tls.proxyToZooKeeper.key().toString(),
              "--tls-engine",
              engine,
              "--output",
              "/dev/null"));
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(new File("/tmp/zkdigest-tls-load-" + v + ".log"));
      pb.environment().put("JAVA_OPTS", javaOpts);
      Process p = pb.start();
      procs.add(p);
      ProxyLoad.waitListening(port);
      String name = "zkdigest TLS " + engine + (javaOpts.isBlank() ? "" : " " + javaOpts);
      ways.add(new Way(name, "127.0.0.1:" + port, viaProxy, ProxyLoad.jvmPid(p)));
    }
    int haPort = ProxyLoad.free();
    Path listenPem = tls.proxyCa.issue("haproxy").writeCombined(dir.resolve("haproxy.pem"));
    Path upstreamPem =
        tls.clientsCa.issue("haproxy upstream").writeCombined(dir.resolve("haproxy-up.pem"));
    Path haCfg = dir.resolve("haproxy.cfg");
    Files.writeString(
        haCfg,
        "global\n  maxconn 4000\n  nbthread "
            + (pin ? 1 : 2)
            + "\ndefaults\n  mode tcp\n  timeout connect 5s\n"
            + "  timeout client 60s\n  timeout server 60s\nlisten zk\n  bind 127.0.0.1:"
            + haPort
            + " ssl crt "
            + listenPem
            + " ca-file "
            + tls.clientsCaPem
            + " verify required\n  server zk1 127.0.0.1:"
            + zkPort
            + " ssl crt "
            + upstreamPem
            + " ca-file "
            + tls.zookeeperCaPem
            + " verify required verifyhost localhost\n");
    List<String> haCmd = new ArrayList<>();
    if (pin) {
      haCmd.addAll(List.of("taskset", "-c", "1"));
    }
    haCmd.addAll(List.of("haproxy", "-db", "-f", haCfg.toString()));
    Process ha =
        new ProcessBuilder(haCmd)
            .redirectErrorStream(true)
            .redirectOutput(new File("/tmp/haproxy-tls-load.log"))
            .start();
    procs.add(ha);
    ProxyLoad.waitListening(haPort);
    ways.add(new Way("haproxy TLS", "127.0.0.1:" + haPort, viaProxy, ha.pid()));
    try (ZooKeeper setup = Workload.connect("127.0.0.1:" + zkPort, direct)) {
      setup.create("/load", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    System.out.printf(
        Locale.ROOT,
        "TLS on both sides, mutual; %d clients, %d ops/s fixed rate and saturation, %d round(s)"
            + " of %d s per path and load%s%n",
        clients,
        rate,
        rounds,
        seconds,
        pin ? "; load and server on CPU 0, each proxy on CPU 1" : "; nothing pinned");
    for (Way w : ways) {
      ProxyLoad.run(c -> Workload.connect(c, w.config()), w.connect(), clients, 0, warmup, null);
    }
    List<ProxyLoad.Result> results = new ArrayList<>();
    for (String mode : new String[] {"rate", "saturation"}) {
      Map<String, ProxyLoad.Measured> sum = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < ways.size(); k++) {
          Way w = ways.get((k + r) % ways.size());
          ProxyLoad.Measured m =
              ProxyLoad.run(
                  c -> Workload.connect(c, w.config()),
                  w.connect(),
                  clients,
                  mode.equals("rate") ? rate : 0,
                  seconds,
                  w.pid());
          sum.merge(w.name(), m, ProxyLoad.Measured::plus);
        }
      }
      for (Way w : ways) {
        results.add(sum.get(w.name()).withNames(w.name(), mode));
      }
    }
    zk.close();
    ProxyLoad.printTable(results);
  }
}
