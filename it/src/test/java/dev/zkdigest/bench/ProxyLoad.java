package dev.zkdigest.bench;

import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.Workload;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * End-to-end proxy load, side by side in one run: ZooKeeper's Java client (async API) driving a
 * real ZooKeeper directly, through {@code zkdigest proxy} and through haproxy (TCP mode), at a
 * fixed rate and at saturation. Reports throughput, latency percentiles, and CPU seconds per
 * million operations of the proxy process (from /proc).
 *
 * <p>Run with {@code benchmarks/proxy-load.sh [RATE] [SECONDS] [CLIENTS]}. Environment:
 *
 * <ul>
 *   <li>{@code PIN=1}: this JVM (load and ZooKeeper server) runs on CPU 0, each proxy on CPU 1, so
 *       what is measured is the proxy's hop and not its fight for a core with the load (the script
 *       pins this JVM, the proxies are started under {@code taskset} here).
 *   <li>{@code ROUNDS=N}: every path measured N times per load, in rotating order, and added up.
 *   <li>{@code WARMUP=S}: seconds of saturation per path before measuring (default 5).
 *   <li>{@code PROXY_VARIANTS="OPTS;OPTS"}: more zkdigest proxies, each with these JVM options,
 *       measured beside the default one (e.g. {@code -XX:+UseSerialGC}).
 * </ul>
 */
public final class ProxyLoad {
  private ProxyLoad() {}

  record Result(
      String path, String mode, double opsPerSec, Histogram latency, double cpuSecPerMop) {}

  /** One way to the server: a name, a connect string, and the proxy process if there is one. */
  record Path3(String name, String connect, Long pid) {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    Path root = Path.of(args.length > 3 ? args[3] : ".").toAbsolutePath();
    boolean pin = "1".equals(System.getenv("PIN"));
    int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "1"));
    List<String> variants = new ArrayList<>(List.of(""));
    String extra = System.getenv("PROXY_VARIANTS");
    if (extra != null && !extra.isBlank()) {
      variants.addAll(Arrays.asList(extra.split(";")));
    }
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
    int zkPort = zk.port();
    List<Process> procs = new ArrayList<>();
    List<Path3> paths = new ArrayList<>();
    paths.add(new Path3("direct", "127.0.0.1:" + zkPort, null));
    for (int v = 0; v < variants.size(); v++) {
      int port = free();
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
              "--output",
              "/dev/null"));
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(new File("/tmp/zkdigest-proxy-load-" + v + ".log"));
      pb.environment().put("JAVA_OPTS", variants.get(v).trim());
      Process p = pb.start();
      procs.add(p);
      waitListening(port);
      String name = variants.get(v).isBlank() ? "zkdigest" : "zkdigest " + variants.get(v).trim();
      paths.add(new Path3(name, "127.0.0.1:" + port, jvmPid(p)));
    }
    int haPort = free();
    Path haCfg = Files.createTempFile("haproxy", ".cfg");
    Files.writeString(
        haCfg,
        "global\n  maxconn 4000\n  nbthread "
            + (pin ? 1 : 2)
            + "\ndefaults\n  mode tcp\n  timeout connect 5s\n"
            + "  timeout client 60s\n  timeout server 60s\nlisten zk\n  bind 127.0.0.1:"
            + haPort
            + "\n  server zk1 127.0.0.1:"
            + zkPort
            + "\n");
    List<String> haCmd = new ArrayList<>();
    if (pin) {
      haCmd.addAll(List.of("taskset", "-c", "1"));
    }
    haCmd.addAll(List.of("haproxy", "-db", "-f", haCfg.toString()));
    Process ha =
        new ProcessBuilder(haCmd)
            .redirectErrorStream(true)
            .redirectOutput(new File("/tmp/haproxy-load.log"))
            .start();
    procs.add(ha);
    waitListening(haPort);
    paths.add(new Path3("haproxy", "127.0.0.1:" + haPort, ha.pid()));
    try (ZooKeeper setup = Workload.connect("127.0.0.1:" + zkPort)) {
      setup.create("/load", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    System.out.printf(
        Locale.ROOT,
        "%d clients, %s, %d round(s) of %d s per path and load%s%n",
        clients,
        rate + " ops/s fixed rate and saturation",
        rounds,
        seconds,
        pin ? "; load and server on CPU 0, each proxy on CPU 1" : "; nothing pinned");
    // Warm up every path (JIT of the proxies and of this JVM), then measure in rotating order.
    int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "5"));
    for (Path3 p : paths) {
      run(p.connect(), clients, 0, warmup, null);
    }
    List<Result> results = new ArrayList<>();
    for (String mode : new String[] {"rate", "saturation"}) {
      Map<String, Measured> sum = new LinkedHashMap<>();
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < paths.size(); k++) {
          Path3 p = paths.get((k + r) % paths.size());
          Measured m = run(p.connect(), clients, mode.equals("rate") ? rate : 0, seconds, p.pid());
          sum.merge(p.name(), m, Measured::plus);
        }
      }
      for (Path3 p : paths) {
        results.add(sum.get(p.name()).withNames(p.name(), mode));
      }
    }
    for (Process p : procs) {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    zk.close();
    printTable(results);
  }

  /** The results, one line per path and load. */
  static void printTable(List<Result> results) {
    System.out.printf(
        Locale.ROOT,
        "%-36s %-10s %10s %9s %9s %9s %11s%n",
        "path",
        "load",
        "ops/s",
        "p50 us",
        "p99 us",
        "p999 us",
        "cpu s/Mops");
    for (Result r : results) {
      System.out.printf(
          Locale.ROOT,
          "%-36s %-10s %10.0f %9d %9d %9d %11s%n",
          r.path(),
          r.mode(),
          r.opsPerSec(),
          r.latency().getValueAtPercentile(50),
          r.latency().getValueAtPercentile(99),
          r.latency().getValueAtPercentile(99.9),
          Double.isNaN(r.cpuSecPerMop())
              ? "-"
              : String.format(Locale.ROOT, "%.2f", r.cpuSecPerMop()));
    }
  }

  /** How a load client connects (plain, or TLS with its configuration). */
  interface Connector {
    ZooKeeper connect(String connectString) throws Exception;
  }

  /** One measurement: rate 0 means as fast as the clients can go (256 in flight per client). */
  static Measured run(String connect, int clients, int rate, int seconds, Long pid)
      throws Exception {
    return run(Workload::connect, connect, clients, rate, seconds, pid);
  }

  static Measured run(
      Connector connector, String connect, int clients, int rate, int seconds, Long pid)
      throws Exception {
    List<ZooKeeper> zks = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      zks.add(connector.connect(connect));
    }
    ConcurrentHistogram lat = new ConcurrentHistogram(3);
    AtomicLong done = new AtomicLong();
    long cpu0 = pid == null ? 0 : cpuTicks(pid);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (ZooKeeper zk : zks) {
      Thread t = new Thread(() -> drive(zk, rate / Math.max(1, clients), end, lat, done));
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long cpu1 = pid == null ? 0 : cpuTicks(pid);
    for (ZooKeeper zk : zks) {
      zk.close();
    }
    return new Measured(done.get(), elapsed, lat, pid == null ? -1 : cpu1 - cpu0);
  }

  /** Operations, seconds, latencies and the proxy's CPU ticks (-1: no proxy) of a measurement. */
  record Measured(long ops, double seconds, Histogram latency, long cpuTicks) {
    double opsPerSec() {
      return ops / seconds;
    }

    double cpuSecPerMop() {
      return cpuTicks < 0 ? Double.NaN : cpuTicks / 100.0 / (ops / 1e6);
    }

    Measured plus(Measured o) {
      Histogram h = latency.copy();
      h.add(o.latency);
      return new Measured(
          ops + o.ops, seconds + o.seconds, h, cpuTicks < 0 ? -1 : cpuTicks + o.cpuTicks);
    }

    Result withNames(String path, String mode) {
      return new Result(path, mode, opsPerSec(), latency, cpuSecPerMop());
    }
  }

  private static void drive(ZooKeeper zk, int rate, long end, Histogram lat, AtomicLong done) {
    Semaphore window = new Semaphore(256);
    long interval = rate > 0 ? 1_000_000_000L / rate : 0;
    long next = System.nanoTime();
    try {
      while (System.nanoTime() < end) {
        if (interval > 0) {
          next += interval;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        window.acquire();
        long t0 = System.nanoTime();
        zk.getData(
            "/load",
            false,
            (rc, path, ctx, data, stat) -> {
              lat.recordValue((System.nanoTime() - t0) / 1000);
              done.incrementAndGet();
              window.release();
            },
            null);
      }
      window.acquire(256);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The JVM under a launcher or taskset: the process's descendant that is a java. */
  static long jvmPid(Process p) {
    for (int i = 0; i < 100; i++) {
      var java =
          p.toHandle()
              .descendants()
              .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
              .findFirst();
      if (java.isPresent()) {
        return java.get().pid();
      }
      if (p.info().command().map(c -> c.endsWith("/java")).orElse(false)) {
        return p.pid(); // the launcher exec'd java in place
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return p.pid();
  }

  static long cpuTicks(long pid) throws Exception {
    // User and system time of all the process's threads, in clock ticks, from /proc/PID/stat.
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  static void waitListening(int port) throws Exception {
    for (int i = 0; i < 600; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (Exception e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("nothing listening on " + port);
  }

  static int free() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
