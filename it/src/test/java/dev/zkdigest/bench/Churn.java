package dev.zkdigest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.Workload;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.ZooKeeper;

/**
 * Connection churn through {@code zkdigest proxy} (a separate process): sessions opened and closed
 * by ZooKeeper's Java client, each with one request, many side by side; then the proxy's open
 * connections and its live heap are compared with their values before the churn. The proxy keeps
 * nothing per closed connection; the digest counts distinct session ids exactly up to 100,000
 * (about 60 bytes each), which is the only growth expected.
 *
 * <pre>benchmarks/churn.sh [CONNECTIONS=50000] [PARALLEL=32]</pre>
 */
public final class Churn {
  private Churn() {}

  /** One measurement of the proxy. */
  public record Sample(String phase, long opened, double open, long rssBytes, long liveHeapBytes) {}

  /** The samples, what the clients sent by op, and what the proxy's report counted. */
  public record Result(List<Sample> samples, Map<String, Long> sent, Map<String, Long> counted) {}

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int parallel = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    Path root = Path.of(args.length > 2 ? args[2] : ".").toAbsolutePath();
    Result r = run(root, Math.min(2_000, connections / 10 + 1), connections, parallel, System.out);
    boolean exact = r.sent().equals(r.counted());
    Sample before = r.samples().get(0);
    Sample after = r.samples().get(r.samples().size() - 1);
    System.out.printf(
        Locale.ROOT,
        "churn: open connections %.0f before, %.0f after; live heap %+.2f MiB, RSS %+.1f MiB;"
            + " counts %s%n",
        before.open(),
        after.open(),
        mib(after.liveHeapBytes() - before.liveHeapBytes()),
        mib(after.rssBytes() - before.rssBytes()),
        exact ? "exact" : "DIFFER: sent " + r.sent() + ", counted " + r.counted());
    if (!exact || after.open() != 0) {
      System.exit(1);
    }
  }

  /** Warms up with {@code warmup} sessions, measures, churns {@code connections}, measures. */
  public static Result run(Path root, int warmup, int connections, int parallel, PrintStream log)
      throws Exception {
    // Session creation is a transaction: without an fsync each, the churn measures the proxy.
    System.setProperty("zookeeper.forceSync", "no");
    Path dir = Files.createTempDirectory("zkdigest-churn");
    Map<String, AtomicLong> sent = new TreeMap<>();
    for (String op : List.of("connect", "exists", "closeSession")) {
      sent.put(op, new AtomicLong());
    }
    List<Sample> samples = new ArrayList<>();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        ProxyProcess proxy = ProxyProcess.start(root, zk.port(), dir)) {
      log.printf(
          Locale.ROOT,
          "%-8s %10s %6s %10s %14s%n",
          "phase",
          "opened",
          "open",
          "RSS MiB",
          "live heap MiB");
      churn(proxy.connectString(), warmup, parallel, sent);
      samples.add(sample("before", warmup, proxy, log));
      Map<String, Long> classesBefore = proxy.liveBytesByClass();
      long start = System.nanoTime();
      churn(proxy.connectString(), connections, parallel, sent);
      double seconds = (System.nanoTime() - start) / 1e9;
      waitClosed(proxy);
      samples.add(sample("after", warmup + connections, proxy, log));
      Map<String, Long> classesAfter = proxy.liveBytesByClass();
      classesAfter.entrySet().stream()
          .map(
              e -> Map.entry(e.getKey(), e.getValue() - classesBefore.getOrDefault(e.getKey(), 0L)))
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .limit(4)
          .forEach(
              e ->
                  log.printf(Locale.ROOT, "churn: live %s %+,d bytes%n", e.getKey(), e.getValue()));
      log.printf(
          Locale.ROOT,
          "churn: %,d sessions in %.1f s (%.0f/s), %d side by side%n",
          connections,
          seconds,
          connections / seconds,
          parallel);
      int code = proxy.stop();
      Map<String, Long> counted = new TreeMap<>();
      JsonNode ops = new ObjectMapper().readTree(proxy.report().toFile()).get("ops");
      for (String op : sent.keySet()) {
        counted.put(op, ops.has(op) ? ops.get(op).get("requests").asLong() : 0);
      }
      if (code != 0) {
        counted.put("exit code", (long) code);
      }
      Map<String, Long> expected = new TreeMap<>();
      sent.forEach((k, v) -> expected.put(k, v.get()));
      return new Result(samples, expected, counted);
    }
  }

  private static Sample sample(String phase, long opened, ProxyProcess proxy, PrintStream log)
      throws Exception {
    double open = proxy.scrape().getOrDefault("zkdigest_proxy_connections_open", -1.0);
    Sample s = new Sample(phase, opened, open, proxy.rssBytes(), proxy.liveHeapBytes());
    log.printf(
        Locale.ROOT,
        "%-8s %,10d %6.0f %10.1f %14.2f%n",
        phase,
        opened,
        open,
        mib(s.rssBytes()),
        mib(s.liveHeapBytes()));
    return s;
  }

  private static void waitClosed(ProxyProcess proxy) throws Exception {
    for (int i = 0; i < 600; i++) {
      Map<String, Double> m = proxy.scrape();
      if (m.getOrDefault("zkdigest_proxy_connections_open", -1.0) == 0
          && m.getOrDefault("zkdigest_open_connections", -1.0) == 0) {
        return;
      }
      Thread.sleep(100);
    }
  }

  /** {@code n} sessions, {@code parallel} at a time: connect, exists, close. */
  private static void churn(String connect, int n, int parallel, Map<String, AtomicLong> sent)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(parallel);
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    ZooKeeper c = Workload.connect(connect);
                    sent.get("connect").incrementAndGet();
                    c.exists("/", false);
                    sent.get("exists").incrementAndGet();
                    c.close();
                    sent.get("closeSession").incrementAndGet();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(2, TimeUnit.HOURS);
    } finally {
      pool.shutdownNow();
    }
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
