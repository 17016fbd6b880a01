package dev.zkdigest.it.junit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.retry.RetryOneTime;

/**
 * The application under test: a service of a few instances that elect a leader with Curator's
 * {@link LeaderLatch}. Each instance leads once and steps down, so leadership passes along the
 * chain, as in a rolling restart. It knows nothing of zkdigest but its connect string.
 */
final class LeaderElectionApp implements AutoCloseable {
  static final String ELECTION = "/app/election";

  private static final int ELECTION_WAIT_SECONDS = 20;

  private final List<CuratorFramework> clients = new ArrayList<>();
  private final List<LeaderLatch> latches = new ArrayList<>();
  final CuratorCalls calls = new CuratorCalls();

  LeaderElectionApp(String connectString, int instances) throws Exception {
    for (int i = 0; i < instances; i++) {
      CuratorFramework c =
          CuratorFrameworkFactory.builder()
              .connectString(connectString)
              .retryPolicy(new RetryOneTime(100))
              // Without it Curator watches /zookeeper/config on its own.
              .ensembleTracker(false)
              .build();
      c.getZookeeperClient().setTracerDriver(calls);
      c.start();
      if (!c.blockUntilConnected(ELECTION_WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no connection to " + connectString);
      }
      clients.add(c);
    }
  }

  /** Every instance joins; then the leader steps down until each has led once. */
  void rollLeadership() throws Exception {
    for (int i = 0; i < clients.size(); i++) {
      LeaderLatch l = new LeaderLatch(clients.get(i), ELECTION, "instance-" + i);
      l.start();
      latches.add(l);
    }
    List<LeaderLatch> waiting = new ArrayList<>(latches);
    while (!waiting.isEmpty()) {
      LeaderLatch leader = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ELECTION_WAIT_SECONDS);
      while (leader == null && System.nanoTime() < deadline) {
        for (LeaderLatch l : waiting) {
          if (l.hasLeadership()) {
            leader = l;
          }
        }
        if (leader == null) {
          Thread.sleep(10);
        }
      }
      if (leader == null) {
        throw new IllegalStateException("no leader elected among " + waiting.size());
      }
      waiting.remove(leader);
      leader.close();
    }
  }

  @Override
  public void close() {
    for (LeaderLatch l : latches) {
      try {
        if (l.getState() == LeaderLatch.State.STARTED) {
          l.close();
        }
      } catch (Exception e) {
        // closing anyway
      }
    }
    clients.forEach(CuratorFramework::close);
  }
}
