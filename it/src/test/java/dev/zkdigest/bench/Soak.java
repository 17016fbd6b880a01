package dev.zkdigest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The proxy at a steady load for a long time: ZooKeeper Java clients through {@code zkdigest proxy}
 * (a separate process, as deployed) to a real ZooKeeper, async getData at a fixed rate with
 * setData, create and delete mixed in. Every interval it samples the proxy's RSS and its live heap
 * (after a full GC); at the end it compares the proxy's final JSON report with what the clients
 * sent, op by op, and exits 1 if a count differs.
 *
 * <pre>benchmarks/soak.sh [SECONDS=1800] [RATE=2000] [CLIENTS=4]</pre>
 */
public final class Soak {
  private Soak() {}

  /** getData per write: reads dominate, as in most ZooKeeper workloads. */
  private static final int READS_PER_WRITE = 50;

  private static final int KEYS = 100;

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 1800;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    Path root = Path.of(args.length > 3 ? args[3] : ".").toAbsolutePath();
    int sampleSeconds = Math.max(5, Math.min(60, seconds / 30));
    Path dir = Files.createTempDirectory("zkdigest-soak");
    Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        ProxyProcess proxy = ProxyProcess.start(root, zk.port(), dir)) {
      try (ZooKeeper setup = Workload.connect("127.0.0.1:" + zk.port())) {
        setup.create("/soak", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int k = 0; k < KEYS; k++) {
          setup.create(
              "/soak/k" + k, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
      }
      System.out.printf(
          Locale.ROOT,
          "soak: %d clients, %d ops/s through zkdigest proxy (pid %d) for %d s; a sample every %d s%n",
          clients,
          rate,
          proxy.pid(),
          seconds,
          sampleSeconds);
      System.out.printf(
          Locale.ROOT,
          "%8s %10s %14s %12s %10s%n",
          "seconds",
          "RSS MiB",
          "live heap MiB",
          "ops",
          "open");
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> load = new ArrayList<>();
      AtomicLong ops = new AtomicLong();
      for (int i = 0; i < clients; i++) {
        int me = i;
        Thread t =
            new Thread(() -> drive(proxy.connectString(), me, rate / clients, end, sent, ops));
        t.start();
        load.add(t);
      }
      long start = System.nanoTime();
      List<long[]> samples = new ArrayList<>(); // seconds, rss, live heap
      while (System.nanoTime() < end) {
        Thread.sleep(
            Math.min(
                TimeUnit.SECONDS.toMillis(sampleSeconds),
                Math.max(1, (end - System.nanoTime()) / 1_000_000)));
        long s = (System.nanoTime() - start) / 1_000_000_000L;
        long rss = proxy.rssBytes();
        long heap = proxy.liveHeapBytes();
        double open = proxy.scrape().getOrDefault("zkdigest_proxy_connections_open", -1.0);
        samples.add(new long[] {s, rss, heap});
        System.out.printf(
            Locale.ROOT,
            "%8d %10.1f %14.1f %,12d %10.0f%n",
            s,
            mib(rss),
            mib(heap),
            ops.get(),
            open);
      }
      for (Thread t : load) {
        t.join();
      }
      Thread.sleep(1_000); // the last closeSession replies through the proxy
      int code = proxy.stop();
      Map<String, Long> counted = counted(proxy.report());
      Map<String, Long> expected = new TreeMap<>();
      sent.forEach((k, v) -> expected.put(k, v.get()));
      Map<String, Long> got = new TreeMap<>();
      expected.keySet().forEach(k -> got.put(k, counted.getOrDefault(k, 0L)));
      summarize(samples);
      System.out.printf(Locale.ROOT, "soak: sent %s%nsoak: proxy counted %s%n", expected, got);
      boolean exact = expected.equals(got) && code == 0;
      System.out.println("soak: counts " + (exact ? "exact" : "DIFFER (exit " + code + ")"));
      if (!exact) {
        System.exit(1);
      }
    }
  }

  /** First and last thirds of the samples: what "flat" means here. */
  private static void summarize(List<long[]> samples) {
    if (samples.size() < 3) {
      return;
    }
    int third = samples.size() / 3;
    double[] rss = thirds(samples, 1, third);
    double[] heap = thirds(samples, 2, third);
    System.out.printf(
        Locale.ROOT,
        "soak: RSS mean %.1f MiB in the first third, %.1f in the last (max %.1f); live heap %.1f"
            + " and %.1f MiB (max %.1f)%n",
        rss[0],
        rss[1],
        rss[2],
        heap[0],
        heap[1],
        heap[2]);
  }

  private static double[] thirds(List<long[]> samples, int col, int third) {
    double first = 0;
    double last = 0;
    double max = 0;
    for (int i = 0; i < samples.size(); i++) {
      double v = mib(samples.get(i)[col]);
      max = Math.max(max, v);
      if (i < third) {
        first += v / third;
      }
      if (i >= samples.size() - third) {
        last += v / third;
      }
    }
    return new double[] {first, last, max};
  }

  private static Map<String, Long> counted(Path report) throws Exception {
    JsonNode ops = new ObjectMapper().readTree(report.toFile()).get("ops");
    Map<String, Long> m = new TreeMap<>();
    ops.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().get("requests").asLong()));
    return m;
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static void count(Map<String, AtomicLong> sent, String op) {
    sent.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
  }

  /** One client: async getData at its share of the rate, a write every READS_PER_WRITE reads. */
  private static void drive(
      String connect,
      int client,
      int rate,
      long end,
      Map<String, AtomicLong> sent,
      AtomicLong ops) {
    try {
      ZooKeeper zk = Workload.connect(connect);
      count(sent, "connect");
      Semaphore window = new Semaphore(64);
      long interval = 1_000_000_000L / Math.max(1, rate);
      long next = System.nanoTime();
      for (long i = 0; System.nanoTime() < end; i++) {
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        String key = "/soak/k" + (i % KEYS);
        if (i % READS_PER_WRITE == READS_PER_WRITE - 1) {
          // The writes are synchronous: the window drains first, then one at a time.
          window.acquire(64);
          zk.setData(key, new byte[100], -1);
          count(sent, "setData");
          String made =
              zk.create(
                  "/soak/c" + client + "-",
                  new byte[10],
                  ZooDefs.Ids.OPEN_ACL_UNSAFE,
                  CreateMode.PERSISTENT_SEQUENTIAL);
          count(sent, "create");
          zk.delete(made, -1);
          count(sent, "delete");
          window.release(64);
          ops.addAndGet(3);
          continue;
        }
        window.acquire();
        count(sent, "getData");
        zk.getData(
            key,
            false,
            (rc, path, ctx, data, stat) -> {
              ops.incrementAndGet();
              window.release();
            },
            null);
      }
      window.acquire(64);
      zk.close();
      count(sent, "closeSession");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
