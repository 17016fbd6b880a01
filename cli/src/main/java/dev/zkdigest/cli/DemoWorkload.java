package dev.zkdigest.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * A realistic mix for the demo, through the proxy: config reads with watches and writes (some with
 * stale versions), lookups of missing nodes, Curator locks, a leader latch, a cache with watches,
 * and service-discovery registrations as ephemeral nodes.
 */
final class DemoWorkload implements AutoCloseable {
  private final String connect;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong operations = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();

  DemoWorkload(String connect) {
    this.connect = connect;
  }

  long operations() {
    return operations.get();
  }

  void start(int clients) throws Exception {
    CuratorFramework admin = curator();
    admin.create().creatingParentsIfNeeded().forPath("/demo/config/app", "v=1".getBytes());
    admin.create().creatingParentsIfNeeded().forPath("/demo/services/api");
    admin.create().creatingParentsIfNeeded().forPath("/demo/locks");
    for (int i = 0; i < 20; i++) {
      admin.create().forPath("/demo/config/app/key-" + i, ("value-" + i).getBytes());
    }
    CuratorCache cache = CuratorCache.build(admin, "/demo/services");
    cache.start();
    resources.add(cache);
    LeaderLatch latch = new LeaderLatch(admin, "/demo/leader", "demo-0");
    latch.start();
    resources.add(latch);
    for (int i = 0; i < clients; i++) {
      int kind = i % 3;
      Runnable r =
          switch (kind) {
            case 0 -> this::configClient;
            case 1 -> this::lockClient;
            default -> this::discoveryClient;
          };
      Thread t = new Thread(r, "demo-client-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private CuratorFramework curator() {
    CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connect)
            .sessionTimeoutMs(30_000)
            .connectionTimeoutMs(10_000)
            .retryPolicy(new RetryNTimes(3, 200))
            .build();
    c.start();
    synchronized (resources) {
      resources.add(0, c);
    }
    return c;
  }

  private static void pause() throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(1, 4));
  }

  /** ZooKeeper's own client: reads with watches, writes, stale versions and missing nodes. */
  private void configClient() {
    ZooKeeper zk = null;
    try {
      zk = new ZooKeeper(connect, 30_000, e -> {});
      waitConnected(zk);
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      Watcher noop = e -> {};
      // The first round does one of each, so even a short demo shows every kind, errors included.
      for (int round = 0; running.get(); round++) {
        String key = "/demo/config/app/key-" + rnd.nextInt(20);
        Stat stat = new Stat();
        zk.getData(key, noop, stat);
        count();
        if (round == 0) {
          everyKindOnce(zk, key, stat);
          continue;
        }
        int dice = rnd.nextInt(100);
        if (dice < 10) {
          zk.setData(key, ("value-" + rnd.nextInt()).getBytes(), stat.getVersion());
          count();
        } else if (dice < 13) {
          try {
            zk.setData(key, "stale".getBytes(), stat.getVersion() + 100);
          } catch (KeeperException.BadVersionException expected) {
            // a stale version, as a racing writer would send
          }
          count();
        } else if (dice < 20) {
          try {
            zk.getData("/demo/config/app/missing-" + rnd.nextInt(5), false, null);
          } catch (KeeperException.NoNodeException expected) {
            // looking for a key that is not there
          }
          count();
        } else if (dice < 30) {
          zk.exists("/demo/config/app/feature-flag", false);
          count();
        } else if (dice < 33) {
          zk.getChildren("/demo/config/app", false);
          count();
        }
        pause();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // the demo is winding down, or the proxy went away: stop this client
    } finally {
      closeQuietly(zk);
    }
  }

  /**
   * A write, a stale write ({@code BADVERSION}), a missing key ({@code NONODE}), exists, a listing.
   */
  private void everyKindOnce(ZooKeeper zk, String key, Stat stat)
      throws KeeperException, InterruptedException {
    zk.setData(key, "value-0".getBytes(), stat.getVersion());
    try {
      zk.setData(key, "stale".getBytes(), stat.getVersion());
    } catch (KeeperException.BadVersionException expected) {
      // the version just moved on
    }
    try {
      zk.getData("/demo/config/app/missing-0", false, null);
    } catch (KeeperException.NoNodeException expected) {
      // looking for a key that is not there
    }
    zk.exists("/demo/config/app/feature-flag", false);
    zk.getChildren("/demo/config/app", false);
    operations.addAndGet(5);
  }

  /** Curator locks around a read-modify-write of a counter. */
  private void lockClient() {
    CuratorFramework c = curator();
    try {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      while (running.get()) {
        String job = "/demo/locks/job-" + rnd.nextInt(4);
        InterProcessMutex lock = new InterProcessMutex(c, job);
        if (lock.acquire(2, TimeUnit.SECONDS)) {
          try {
            String counter = "/demo/counters/job";
            try {
              byte[] v = c.getData().forPath(counter);
              c.setData().forPath(counter, Integer.toString(parse(v) + 1).getBytes());
            } catch (KeeperException.NoNodeException e) {
              try {
                c.create().creatingParentsIfNeeded().forPath(counter, "1".getBytes());
              } catch (KeeperException.NodeExistsException raced) {
                // another client created it first
              }
            }
          } finally {
            lock.release();
          }
        }
        operations.addAndGet(6);
        pause();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // winding down
    }
  }

  /** Service registrations as ephemeral nodes, updated and removed, some re-registered twice. */
  private void discoveryClient() {
    CuratorFramework c = curator();
    try {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      String instance = "/demo/services/api/instance-" + UUID.randomUUID();
      while (running.get()) {
        c.create().withMode(CreateMode.EPHEMERAL).forPath(instance, payload(rnd));
        count();
        try {
          c.create().withMode(CreateMode.EPHEMERAL).forPath(instance, payload(rnd));
        } catch (KeeperException.NodeExistsException expected) {
          // registering twice, as a client retrying after a timeout does
        }
        count();
        for (int i = 0; i < 5 && running.get(); i++) {
          c.getChildren().forPath("/demo/services/api");
          c.setData().forPath(instance, payload(rnd));
          operations.addAndGet(2);
          pause();
        }
        c.delete().forPath(instance);
        count();
        c.create()
            .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
            .forPath("/demo/services/api/worker-", payload(rnd));
        count();
        pause();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // winding down
    }
  }

  private static byte[] payload(ThreadLocalRandom rnd) {
    return ("{\"host\":\"10.0.0." + rnd.nextInt(1, 255) + "\",\"port\":8080}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static int parse(byte[] v) {
    try {
      return Integer.parseInt(new String(v, StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private void count() {
    operations.incrementAndGet();
  }

  private static void waitConnected(ZooKeeper zk) throws InterruptedException {
    for (int i = 0; i < 200 && zk.getState() != ZooKeeper.States.CONNECTED; i++) {
      Thread.sleep(50);
    }
  }

  private static void closeQuietly(ZooKeeper zk) {
    if (zk != null) {
      try {
        zk.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(5_000);
    }
    synchronized (resources) {
      for (AutoCloseable r : resources) {
        try {
          r.close();
        } catch (Exception ignored) {
          // closing the demo's own clients
        }
      }
    }
  }
}
