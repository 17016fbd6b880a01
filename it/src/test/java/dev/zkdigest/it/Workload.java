package dev.zkdigest.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.Stat;

/**
 * Drives a real ZooKeeper with ZooKeeper's own Java client and keeps count of every request it
 * makes by opcode name and of every error by code name, to compare with what zkdigest reports.
 */
public final class Workload {
  final Map<String, Long> requests = new TreeMap<>();
  final Map<String, Map<String, Long>> errors = new TreeMap<>();

  /** Sub-operation outcomes of multi replies, by sub-op and code, as the client got them. */
  final Map<String, Map<String, Long>> multiSubResults = new TreeMap<>();

  public static ZooKeeper connect(String connectString) throws Exception {
    return connect(connectString, null);
  }

  /** With a client configuration, e.g. TLS ({@link TlsFixture#clientConfig}); null: defaults. */
  public static ZooKeeper connect(String connectString, ZKClientConfig config) throws Exception {
    System.setProperty("zookeeper.sasl.client", "false");
    CountDownLatch up = new CountDownLatch(1);
    Watcher watcher =
        e -> {
          if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
            up.countDown();
          }
        };
    ZooKeeper zk =
        config == null
            ? new ZooKeeper(connectString, 30_000, watcher)
            : new ZooKeeper(connectString, 30_000, watcher, config);
    if (!up.await(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no connection to " + connectString);
    }
    return zk;
  }

  private void did(String op) {
    requests.merge(op, 1L, Long::sum);
  }

  private void failed(String op, KeeperException e) {
    did(op);
    errors.computeIfAbsent(op, k -> new TreeMap<>()).merge(e.code().name(), 1L, Long::sum);
  }

  /** A mixed workload under {@code root}; every call is one request on the wire. */
  void run(ZooKeeper zk, String root, int rounds) throws Exception {
    var acl = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    zk.create(root, new byte[0], acl, CreateMode.PERSISTENT);
    did("create");
    for (int i = 0; i < rounds; i++) {
      String node = root + "/n" + i;
      zk.create(node, ("v" + i).getBytes(), acl, CreateMode.PERSISTENT, new Stat());
      did("create2");
      zk.getData(node, false, null);
      did("getData");
      zk.exists(node, false);
      did("exists");
      zk.setData(node, "w".getBytes(), -1);
      did("setData");
      try {
        zk.setData(node, "x".getBytes(), 999);
      } catch (KeeperException e) {
        failed("setData", e);
      }
      try {
        zk.getData(root + "/missing" + i, false, null);
      } catch (KeeperException e) {
        failed("getData", e);
      }
      try {
        zk.create(node, new byte[0], acl, CreateMode.PERSISTENT);
      } catch (KeeperException e) {
        failed("create", e);
      }
      zk.create(root + "/seq-", new byte[3], acl, CreateMode.EPHEMERAL_SEQUENTIAL);
      did("create");
    }
    zk.getChildren(root, false);
    did("getChildren");
    zk.getChildren(root, false, new Stat());
    did("getChildren2");
    zk.getACL(root, new Stat());
    did("getACL");
    zk.setACL(root + "/n0", acl, -1);
    did("setACL");
    zk.sync(root, (rc, path, ctx) -> {}, null);
    did("sync");
    zk.getAllChildrenNumber(root);
    did("getAllChildrenNumber");
    zk.getEphemerals(root);
    did("getEphemerals");
    zk.addWatch(root + "/n0", AddWatchMode.PERSISTENT);
    did("addWatch");
    zk.whoAmI();
    did("whoAmI");
    zk.create(root + "/ttl", new byte[0], acl, CreateMode.PERSISTENT_WITH_TTL, new Stat(), 60_000);
    did("createTTL");
    zk.create(root + "/container", new byte[0], acl, CreateMode.CONTAINER, new Stat());
    did("createContainer");
    List<Op> ops = new ArrayList<>();
    ops.add(Op.create(root + "/m", new byte[0], acl, CreateMode.PERSISTENT));
    ops.add(Op.setData(root + "/m", "m".getBytes(), -1));
    ops.add(Op.check(root + "/m", 1));
    ops.add(Op.delete(root + "/m", -1));
    subResults(ops, zk.multi(ops));
    did("multi");
    // Two transactions that fail: the reply header says OK, the client throws the first
    // sub-result that failed, and the results say what happened to each sub-operation.
    List<Op> missing =
        List.of(
            Op.create(root + "/fm", new byte[0], acl, CreateMode.PERSISTENT),
            Op.setData(root + "/absent", new byte[0], -1));
    List<Op> stale = List.of(Op.check(root + "/n0", 999), Op.delete(root + "/n0", -1));
    for (List<Op> failing : List.of(missing, stale)) {
      try {
        zk.multi(failing);
        throw new IllegalStateException("the transaction should have failed");
      } catch (KeeperException e) {
        failed("multi", e);
        subResults(failing, e.getResults());
      }
    }
    List<Op> reads = List.of(Op.getData(root + "/n0"), Op.getChildren(root));
    subResults(reads, zk.multi(reads));
    did("multiRead");
    try {
      zk.delete(root, -1);
    } catch (KeeperException e) {
      failed("delete", e);
    }
    for (int i = 0; i < rounds; i++) {
      zk.delete(root + "/n" + i, -1);
      did("delete");
    }
  }

  private void subResults(List<Op> ops, List<org.apache.zookeeper.OpResult> results) {
    for (int i = 0; i < ops.size(); i++) {
      org.apache.zookeeper.OpResult r = results.get(i);
      String code =
          r instanceof org.apache.zookeeper.OpResult.ErrorResult e
              ? KeeperException.Code.get(e.getErr()).name()
              : "OK";
      String op = opName(ops.get(i).getType());
      multiSubResults.computeIfAbsent(op, k -> new TreeMap<>()).merge(code, 1L, Long::sum);
    }
  }

  /** ZooKeeper's name of the opcodes this workload puts in a multi (ZooDefs.OpCode). */
  private static String opName(int type) {
    return switch (type) {
      case ZooDefs.OpCode.create -> "create";
      case ZooDefs.OpCode.delete -> "delete";
      case ZooDefs.OpCode.setData -> "setData";
      case ZooDefs.OpCode.check -> "check";
      case ZooDefs.OpCode.getData -> "getData";
      case ZooDefs.OpCode.getChildren -> "getChildren";
      default -> throw new IllegalArgumentException("opcode " + type + " not used here");
    };
  }

  /**
   * Curator's client: each call below is one request, by the opcode Curator 5 sends for it. The
   * ensemble tracker is off, or Curator would add its own watch on /zookeeper/config.
   */
  void runCurator(String connectString, String root) throws Exception {
    try (CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connectString)
            .retryPolicy(new RetryOneTime(100))
            .ensembleTracker(false)
            .build()) {
      c.start();
      c.blockUntilConnected();
      did("connect");
      c.create().forPath(root, "x".getBytes());
      did("create2");
      c.getData().forPath(root);
      did("getData");
      c.setData().forPath(root, "y".getBytes());
      did("setData");
      c.checkExists().forPath(root + "/nothing");
      did("exists");
      errors.computeIfAbsent("exists", k -> new TreeMap<>()).merge("NONODE", 1L, Long::sum);
      c.getChildren().forPath("/");
      did("getChildren2");
      c.delete().forPath(root);
      did("delete");
    }
    did("closeSession");
  }

  void close(ZooKeeper zk) throws InterruptedException {
    zk.close();
    did("closeSession");
  }
}
