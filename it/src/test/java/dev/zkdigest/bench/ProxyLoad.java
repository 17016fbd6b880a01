package dev.zkdigest.bench;

import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.Workload;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * <p>Run with {@code benchmarks/proxy-load.sh [RATE] [SECONDS] [CLIENTS]}.
 */
public final class ProxyLoad {
  private ProxyLoad() {}

  record Result(
      String path, String mode, double opsPerSec, Histogram latency, double cpuSecPerMop) {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    Path root = Path.of(args.length > 3 ? args[3] : ".").toAbsolutePath();
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
    int zkPort = zk.port();
    int zkdPort = free();
    int haPort = free();
    Process zkd =
        new ProcessBuilder(
                root.resolve("zkdigest").toString(),
                "proxy",
                "--listen",
                "127.0.0.1:" + zkdPort,
                "--upstream",
                "127.0.0.1:" + zkPort,
                "--output",
                "/dev/null")
            .redirectErrorStream(true)
            .redirectOutput(new File("/tmp/zkdigest-proxy-load.log"))
            .start();
    Path haCfg = Files.createTempFile("haproxy", ".cfg");
    Files.writeString(
        haCfg,
        "global\n  maxconn 4000\n  nbthread 2\ndefaults\n  mode tcp\n  timeout connect 5s\n"
            + "  timeout client 60s\n  timeout server 60s\nlisten zk\n  bind 127.0.0.1:"
            + haPort
            + "\n  server zk1 127.0.0.1:"
            + zkPort
            + "\n");
    Process ha =
        new ProcessBuilder("haproxy", "-db", "-f", haCfg.toString())
            .redirectErrorStream(true)
            .redirectOutput(new File("/tmp/haproxy-load.log"))
            .start();
    waitListening(zkdPort);
    waitListening(haPort);
    try (ZooKeeper setup = Workload.connect("127.0.0.1:" + zkPort)) {
      setup.create("/load", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    List<Result> results = new ArrayList<>();
    String[][] paths = {
      {"direct", "127.0.0.1:" + zkPort, null},
      {"zkdigest", "127.0.0.1:" + zkdPort, Long.toString(zkd.pid())},
      {"haproxy", "127.0.0.1:" + haPort, Long.toString(ha.pid())}
    };
    // Warm up every path (JIT of the proxy), then measure in alternating order.
    for (String[] p : paths) {
      run(p[1], clients, 0, 3, null);
    }
    for (String mode : new String[] {"rate", "saturation"}) {
      for (String[] p : paths) {
        Long pid = p[2] == null ? null : Long.parseLong(p[2]);
        results.add(
            run(p[1], clients, mode.equals("rate") ? rate : 0, seconds, pid).withNames(p[0], mode));
      }
    }
    zkd.destroy();
    ha.destroy();
    zkd.waitFor(10, TimeUnit.SECONDS);
    zk.close();
    System.out.printf(
        Locale.ROOT,
        "%-9s %-10s %10s %9s %9s %9s %14s%n",
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
          "%-9s %-10s %10.0f %9d %9d %9d %14s%n",
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

  /** One measurement: rate 0 means as fast as the clients can go (256 in flight per client). */
  static Measured run(String connect, int clients, int rate, int seconds, Long pid)
      throws Exception {
    List<ZooKeeper> zks = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      zks.add(Workload.connect(connect));
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
    double cpuSec = (cpu1 - cpu0) / 100.0;
    return new Measured(
        done.get() / elapsed, lat, pid == null ? Double.NaN : cpuSec / (done.get() / 1e6));
  }

  record Measured(double opsPerSec, Histogram latency, double cpuSecPerMop) {
    Result withNames(String path, String mode) {
      return new Result(path, mode, opsPerSec, latency, cpuSecPerMop);
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

  private static long cpuTicks(long pid) throws Exception {
    long total = 0;
    // The launcher execs java, so the pid is the JVM; count all its threads via /proc/PID/stat.
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    total += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return total;
  }

  private static void waitListening(int port) throws Exception {
    for (int i = 0; i < 600; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (Exception e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("nothing listening on " + port);
  }

  private static int free() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
