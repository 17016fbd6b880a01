package dev.zkdigest.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.budget.InexactMeasurementException;
import dev.zkdigest.digest.Digest;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension used as a user uses it, with ZooKeeper's own client: the digest of each test holds
 * exactly the calls the test made, counted here by the test itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ZkDigestExtensionTest {
  /** A cap of 8 distinct (op, raw path) pairs, so a test can go past it with a handful of calls. */
  private static final Digest.Limits FOUR_PATHS =
      new Digest.Limits(5_000, 10_000, 0, 1_000, 100_000, 16_384, 50, 100, 8);

  @RegisterExtension static ZkDigestExtension zk = ZkDigestExtension.embedded().limits(FOUR_PATHS);

  static ZooKeeper connect(String connectString) throws Exception {
    System.setProperty("zookeeper.sasl.client", "false");
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper client =
        new ZooKeeper(
            connectString,
            30_000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
              }
            });
    assertThat(up.await(20, TimeUnit.SECONDS)).as("connected to " + connectString).isTrue();
    return client;
  }

  @Test
  @Order(1)
  void aTestsDigestHoldsExactlyTheCallsItMade() throws Exception {
    // given
    int reads = 7;
    int misses = 3;
    try (ZooKeeper client = connect(zk.connectString())) {
      // when
      client.create("/cfg", "v".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < reads; i++) {
        client.getData("/cfg", false, null);
      }
      for (int i = 0; i < misses; i++) {
        try {
          client.getData("/cfg/missing-" + i, false, null);
        } catch (KeeperException.NoNodeException expected) {
          // counted below
        }
      }
      try {
        client.create("/cfg", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (KeeperException.NodeExistsException expected) {
        // counted below
      }
    }
    // then
    TrafficDigest d = zk.digest();
    assertThat(d.calls("getData", "/cfg")).isEqualTo(reads);
    assertThat(d.calls("getData", "/cfg/*")).isEqualTo(misses);
    assertThat(d.calls("getData")).isEqualTo(reads + misses);
    assertThat(d.calls("create")).isEqualTo(2);
    assertThat(d.calls("connect")).isEqualTo(1);
    assertThat(d.calls("closeSession")).isEqualTo(1);
    assertThat(d.errors("NONODE")).isEqualTo(misses);
    assertThat(d.errors("create", "NODEEXISTS")).isEqualTo(1);
    assertThat(d.errors()).isEqualTo(misses + 1);
    assertThat(d.sessions()).isEqualTo(1);
    assertThat(d.latency("getData").count()).isEqualTo(reads + misses);
    assertThat(d.findings()).isEmpty();
  }

  @Test
  @Order(2)
  void countsStartAgainAtEachTest() throws Exception {
    assertThat(zk.digest().calls("*")).isZero();
    try (ZooKeeper client = connect(zk.connectString())) {
      client.exists("/cfg", false);
    }
    assertThat(zk.digest().calls("exists", "/**")).isEqualTo(1);
    assertThat(zk.digest().calls("getData")).isZero();
    // The class's digest still has the first test's reads.
    assertThat(zk.classDigest().calls("getData", "/cfg")).isEqualTo(7);
  }

  @Test
  @Order(3)
  void aGlobPastTheCapOnPathsSaysItCannotBeExact() throws Exception {
    try (ZooKeeper client = connect(zk.connectString())) {
      for (int i = 0; i < 10; i++) {
        client.exists("/p" + i, false);
      }
    }
    TrafficDigest d = zk.digest();
    assertThatThrownBy(() -> d.calls("exists", "/**"))
        .isInstanceOf(InexactMeasurementException.class)
        .hasMessageStartingWith("calls(exists, /**) cannot be exact: between ")
        .hasMessageContaining("and 10");
    assertThat(d.callsRange("exists", "/**").high()).isEqualTo(10);
    assertThat(d.calls("exists")).isEqualTo(10);
  }

  @Test
  @Order(4)
  void wrongNamesAreErrorsNotZero() {
    TrafficDigest d = zk.digest();
    assertThatThrownBy(() -> d.calls("getdata"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown op 'getdata': did you mean getData?");
    assertThatThrownBy(() -> d.errors("NO_NODE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown error code 'NO_NODE'");
    assertThatThrownBy(() -> d.calls("getData", "cfg"))
        .hasMessage("a path glob starts with '/': 'cfg'");
  }
}
