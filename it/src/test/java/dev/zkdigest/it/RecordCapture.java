package dev.zkdigest.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Records a real capture of an embedded ZooKeeper under load, for replay benchmarks on real
 * traffic: tcpdump on loopback while half the clients run the mixed workload of the integration
 * tests (every opcode, errors, multi, Curator) round after round and the other half send async
 * getData at a fixed rate.
 *
 * <pre>benchmarks/record-capture.sh FILE [SECONDS=30] [RATE=10000] [CLIENTS=8]   (as root)</pre>
 */
public final class RecordCapture {
  private RecordCapture() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]).toAbsolutePath();
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
    int clients = Math.max(2, args.length > 3 ? Integer.parseInt(args[3]) : 8);
    record(file, seconds, rate, clients);
  }

  /** Records {@code file} as {@link #main} describes; returns ZooKeeper's port in it. */
  static int record(Path file, int seconds, int rate, int clients) throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      String connect = "127.0.0.1:" + zk.port();
      try (ZooKeeper setup = Workload.connect(connect)) {
        setup.create("/load", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      Workload counts = new Workload();
      AtomicLong reads = new AtomicLong();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      try (Tcpdump capture = Tcpdump.start(file, "lo", 262_144, "tcp port " + zk.port())) {
        List<Thread> threads = new ArrayList<>();
        int mixed = clients / 2;
        for (int i = 0; i < clients; i++) {
          int me = i;
          Thread t =
              i < mixed
                  ? new Thread(() -> mixed(connect, me, end, counts))
                  : new Thread(() -> reads(connect, rate / (clients - mixed), end, reads));
          t.start();
          threads.add(t);
        }
        for (Thread t : threads) {
          t.join();
        }
        Thread.sleep(500); // the last replies reach the capture
      }
      long mixedRequests;
      synchronized (counts) {
        mixedRequests = counts.requests.values().stream().mapToLong(Long::longValue).sum();
      }
      System.out.printf(
          Locale.ROOT,
          "wrote %s: %,d bytes; %,d getData at the fixed rate, %,d requests of the mixed"
              + " workload%n",
          file,
          Files.size(file),
          reads.get(),
          mixedRequests);
      return zk.port();
    }
  }

  private static void mixed(String connect, int client, long end, Workload counts) {
    try {
      int round = 0;
      while (System.nanoTime() < end) {
        Workload w = new Workload();
        ZooKeeper zk = Workload.connect(connect);
        w.run(zk, "/mixed-" + client + "-" + round++, 20);
        w.close(zk);
        w.runCurator(connect, "/curator-" + client + "-" + round);
        synchronized (counts) {
          w.requests.forEach((k, v) -> counts.requests.merge(k, v, Long::sum));
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void reads(String connect, int rate, long end, AtomicLong done) {
    try (ZooKeeper zk = Workload.connect(connect)) {
      Semaphore window = new Semaphore(256);
      long interval = 1_000_000_000L / Math.max(1, rate);
      long next = System.nanoTime();
      while (System.nanoTime() < end) {
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        window.acquire();
        zk.getData(
            "/load",
            false,
            (rc, path, ctx, data, stat) -> {
              done.incrementAndGet();
              window.release();
            },
            null);
      }
      window.acquire(256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
