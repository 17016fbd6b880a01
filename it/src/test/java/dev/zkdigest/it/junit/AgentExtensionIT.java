package dev.zkdigest.it.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.junit.TrafficDigest;
import dev.zkdigest.junit.ZkDigestExtension;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ZkDigestExtension#agent()}: the application connects its own ZooKeeper client straight to
 * a server at a fixed address (no proxy, no connect string from the extension); the agent attached
 * to this JVM digests it. Each test's digest holds exactly what its client counted itself, per op
 * and per error, and nothing of the test before it. The server runs in this JVM too, and is not
 * counted a second time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentExtensionIT {
  @RegisterExtension static ZkDigestExtension zk = ZkDigestExtension.agent();

  private static EmbeddedZooKeeper server;

  /** The first test's client's counts, for the class's digest. */
  private static Counts first;

  @BeforeAll
  static void startServer() throws Exception {
    // The default failsafe execution has the agent module on its class path (for the agent ITs);
    // this class runs in an execution of its own without it, as a user's project would.
    assumeTrue(
        ClassLoader.getSystemResource("dev/zkdigest/agent/launcher/AgentLauncher.class") == null,
        "runs in failsafe's agent-extension execution");
    System.setProperty("zookeeper.sasl.client", "false");
    server = EmbeddedZooKeeper.start("127.0.0.1");
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** What a client did, counted by the test as it called ZooKeeper's own API. */
  private static final class Counts {
    long creates;
    long nodeExists;
    long getData;
    long noNode;
    long setData;
    long exists;
    long getChildren;
    long deletes;
  }

  private static ZooKeeper connect() throws Exception {
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper c =
        new ZooKeeper(
            "127.0.0.1:" + server.port(),
            30_000,
            e -> {
              if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
              }
            });
    assertThat(up.await(30, TimeUnit.SECONDS)).isTrue();
    return c;
  }

  /** Creates, reads, writes, lists and deletes under {@code root}, with refused calls too. */
  private static Counts workload(String root, int nodes, int reads) throws Exception {
    Counts n = new Counts();
    try (ZooKeeper c = connect()) {
      c.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      n.creates++;
      for (int i = 0; i < nodes; i++) {
        c.create(
            root + "/n" + i, new byte[] {1}, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        n.creates++;
      }
      try {
        c.create(root + "/n0", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        n.creates++;
      } catch (KeeperException.NodeExistsException e) {
        n.creates++;
        n.nodeExists++;
      }
      for (int r = 0; r < reads; r++) {
        for (int i = 0; i < nodes; i++) {
          c.getData(root + "/n" + i, false, null);
          n.getData++;
        }
        try {
          c.getData(root + "/missing", false, null);
        } catch (KeeperException.NoNodeException e) {
          n.noNode++;
        }
        n.getData++;
      }
      for (int i = 0; i < nodes; i += 2) {
        c.setData(root + "/n" + i, new byte[] {2}, -1);
        n.setData++;
      }
      assertThat(c.exists(root, false)).isNotNull();
      n.exists++;
      assertThat(c.getChildren(root, false)).hasSize(nodes);
      n.getChildren++;
      for (int i = 0; i < nodes; i++) {
        c.delete(root + "/n" + i, -1);
        n.deletes++;
      }
      c.delete(root, -1);
      n.deletes++;
    }
    return n;
  }

  private static void assertDigestIs(TrafficDigest d, String root, Counts n) {
    assertThat(d.calls("create", root + "/*")).isEqualTo(n.creates - 1);
    assertThat(d.calls("create")).isEqualTo(n.creates);
    assertThat(d.errors("create", "NODEEXISTS")).isEqualTo(n.nodeExists);
    assertThat(d.calls("getData")).isEqualTo(n.getData);
    assertThat(d.errors("getData", "NONODE")).isEqualTo(n.noNode);
    assertThat(d.errors("NONODE")).isEqualTo(n.noNode);
    assertThat(d.calls("setData")).isEqualTo(n.setData);
    assertThat(d.calls("exists")).isEqualTo(n.exists);
    assertThat(d.calls("getChildren")).isEqualTo(n.getChildren);
    assertThat(d.calls("delete")).isEqualTo(n.deletes);
    assertThat(d.errors()).isEqualTo(n.nodeExists + n.noNode);
    assertThat(d.sessions()).isEqualTo(1);
  }

  @Test
  @Order(1)
  void digestsTheApplicationsOwnClientOnceThoughItsServerRunsHereToo() throws Exception {
    // when the application's client talks to its server at a fixed address
    Counts n = workload("/first", 10, 3);
    first = n;
    // then the digest holds what the client counted, each request once
    TrafficDigest d = zk.digest();
    assertDigestIs(d, "/first", n);
  }

  @Test
  @Order(2)
  void aTestsDigestHoldsNothingOfTheTestBefore() throws Exception {
    // when another test's client does something else
    Counts n = workload("/second", 4, 5);
    // then its digest is its own traffic alone
    TrafficDigest d = zk.digest();
    assertDigestIs(d, "/second", n);
    assertThat(d.calls("*", "/first/**")).isZero();
    assertThat(d.calls("getData", "/first/*")).isZero();
    // and the class's digest has both
    assertThat(zk.classDigest().calls("getData", "/first/*")).isEqualTo(first.getData);
    assertThat(zk.classDigest().calls("getData")).isEqualTo(first.getData + n.getData);
  }

  @Test
  @Order(3)
  void hasNoConnectStringToGive() {
    assertThatThrownBy(() -> zk.connectString())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("agent() has no connect string");
    assertThat(zk.digest().calls("*")).isZero();
  }
}
