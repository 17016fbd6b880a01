package dev.zkdigest.it.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.junit.ZkDigestExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A lock recipe that wakes every waiter: each waiter watches the lock's children, so every change
 * sends all of them a NodeChildrenChanged and all of them list the children again. The digest must
 * call it a herd, and a budget of {@code finding herd == 0} must fail.
 */
class HerdFindingIT {
  private static final int WAITERS = 20;
  private static final int CHANGES = 5;
  private static final String LOCK = "/herd/lock";

  @RegisterExtension static ZkDigestExtension zk = ZkDigestExtension.embedded();

  /** A waiter that lists the lock's children, with a watch, every time they change. */
  private static final class Waiter implements Watcher {
    final ZooKeeper client;
    final AtomicInteger woken;

    Waiter(String connectString, AtomicInteger woken) throws Exception {
      this.woken = woken;
      CountDownLatch up = new CountDownLatch(1);
      this.client =
          new ZooKeeper(
              connectString,
              30_000,
              e -> {
                if (e.getState() == Event.KeeperState.SyncConnected) {
                  up.countDown();
                }
              });
      assertThat(up.await(20, TimeUnit.SECONDS)).isTrue();
      client.getChildren(LOCK, this);
    }

    @Override
    public void process(WatchedEvent e) {
      if (e.getType() == Event.EventType.NodeChildrenChanged) {
        try {
          client.getChildren(LOCK, this);
        } catch (Exception ex) {
          return;
        }
        woken.incrementAndGet();
      }
    }
  }

  @Test
  void aLockThatWakesEveryWaiterIsAHerd() throws Exception {
    // given
    System.setProperty("zookeeper.sasl.client", "false");
    AtomicInteger woken = new AtomicInteger();
    List<Waiter> waiters = new ArrayList<>();
    try (ZooKeeper holder = new ZooKeeper(zk.connectString(), 30_000, e -> {})) {
      holder.create("/herd", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      holder.create(LOCK, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < WAITERS; i++) {
        waiters.add(new Waiter(zk.connectString(), woken));
      }
      // when: a new contender queues CHANGES times; every waiter wakes and lists the children
      for (int i = 1; i <= CHANGES; i++) {
        // Persistent: the holder's session ending must not change the children once more.
        holder.create(
            LOCK + "/lock-",
            new byte[0],
            ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT_SEQUENTIAL);
        int all = WAITERS * i;
        // One change at a time, so each waiter's watch is set again before the next.
        await().atMost(Duration.ofSeconds(30)).until(() -> woken.get() == all);
      }
    } finally {
      for (Waiter w : waiters) {
        w.client.close();
      }
    }
    // then
    assertThat(zk.digest().calls("getChildren", LOCK)).isEqualTo(WAITERS * (CHANGES + 1L));
    assertThat(zk.digest().findings()).anyMatch(f -> f.kind() == Finding.Kind.HERD);
    assertThatThrownBy(() -> zk.assertWithin(Budget.parse("inline", "finding herd == 0\n")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("line 1: finding herd == 0: measured ");
  }
}
