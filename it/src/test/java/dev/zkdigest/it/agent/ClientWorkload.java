package dev.zkdigest.it.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * A ZooKeeper client application for the agent's tests, run in a child JVM on the classpath of one
 * ZooKeeper version (3.6 to 3.9: it uses only the API they share). It opens one session per client
 * kind asked for (NIO, Netty, Netty with TLS), runs a fixed workload on each under its own path
 * prefix, and writes what it did, counted by itself, to a file: {@code kind op count} and {@code
 * kind error CODE count} lines. That record is the tests' expected value.
 *
 * <p>Arguments: {@code CONNECT SECURE_CONNECT RECORD_FILE ROUNDS KIND...}; with {@code KIND} {@code
 * stdin}, it instead runs one NIO session and does {@code N} getData calls for each line "N" read
 * from standard input, answering "done N" (for attach tests).
 */
public final class ClientWorkload {
  static final String NETTY = "org.apache.zookeeper.ClientCnxnSocketNetty";

  private final Map<String, Long> record = new TreeMap<>();

  public static void main(String[] args) {
    try {
      run(args);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1); // ZooKeeper's threads would keep the JVM alive
    }
    System.exit(0);
  }

  private static void run(String[] args) throws Exception {
    String connect = args[0];
    String secureConnect = args[1];
    Path recordFile = Path.of(args[2]);
    int rounds = Integer.parseInt(args[3]);
    ClientWorkload w = new ClientWorkload();
    if (args[4].equals("stdin")) {
      w.interactive(connect);
      return;
    }
    for (int i = 4; i < args.length; i++) {
      String kind = args[i];
      ZKClientConfig config = new ZKClientConfig();
      String target = connect;
      switch (kind) {
        case "nio", "big" -> {}
        case "netty" -> config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, NETTY);
        case "tls" -> {
          config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, NETTY);
          config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
          target = secureConnect;
        }
        default -> throw new IllegalArgumentException(kind);
      }
      w.run(kind, target, config, rounds);
    }
    List<String> lines = new ArrayList<>();
    w.record.forEach((k, v) -> lines.add(k + " " + v));
    Files.write(recordFile, lines, StandardCharsets.UTF_8);
    System.out.println("workload done");
  }

  static ZooKeeper connect(String target, ZKClientConfig config) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            target,
            30_000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
              }
            },
            config);
    if (!connected.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no session with " + target);
    }
    return zk;
  }

  private void count(String kind, String what) {
    record.merge(kind + " " + what, 1L, Long::sum);
  }

  private void error(String kind, KeeperException e) {
    count(kind, "error " + e.code().name());
  }

  /** The workload: every call is counted as made, and each error by its code. */
  private void run(String kind, String target, ZKClientConfig config, int rounds) throws Exception {
    count(kind, "connect");
    ZooKeeper zk = connect(target, config);
    if (kind.equals("big")) {
      big(zk, rounds);
      return;
    }
    String root = "/" + kind;
    byte[] data = ("data of " + kind).getBytes(StandardCharsets.UTF_8);
    count(kind, "create");
    zk.create(root, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    for (int i = 0; i < rounds; i++) {
      String node = root + "/n" + i;
      count(kind, "create");
      zk.create(node, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      count(kind, "getData");
      zk.getData(node, false, null);
      count(kind, "setData");
      zk.setData(node, data, -1);
      count(kind, "exists");
      zk.exists(node, false);
      try {
        count(kind, "setData");
        zk.setData(node, data, 42); // the version is 1 by now
      } catch (KeeperException e) {
        error(kind, e);
      }
      try {
        count(kind, "create");
        zk.create(node, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (KeeperException e) {
        error(kind, e);
      }
      try {
        count(kind, "getData");
        zk.getData(node + "/missing", false, null);
      } catch (KeeperException e) {
        error(kind, e);
      }
      count(kind, "exists");
      if (zk.exists(node + "/missing", false) == null) {
        count(kind, "error NONODE"); // exists answers a missing node with NONODE on the wire
      }
    }
    count(kind, "getChildren");
    zk.getChildren(root, false);
    for (int i = 0; i < rounds; i++) {
      count(kind, "delete");
      zk.delete(root + "/n" + i, -1);
    }
    count(kind, "delete");
    zk.delete(root, -1);
    count(kind, "closeSession");
    zk.close();
  }

  /**
   * Large writes (200 KiB setData), each followed by a small exists: to overflow a small buffer.
   */
  private void big(ZooKeeper zk, int rounds) throws Exception {
    String node = "/big";
    count("big", "create");
    zk.create(node, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    byte[] large = new byte[BIG];
    for (int i = 0; i < rounds; i++) {
      count("big", "setData");
      zk.setData(node, large, -1);
      count("big", "exists");
      zk.exists(node, false);
    }
    count("big", "delete");
    zk.delete(node, -1);
    count("big", "closeSession");
    zk.close();
  }

  static final int BIG = 200 << 10;

  /** One NIO session; for each line N on stdin, N getData calls, then "done N" on stdout. */
  private void interactive(String connect) throws Exception {
    ZooKeeper zk = connect(connect, new ZKClientConfig());
    String node = "/attach-" + ProcessHandle.current().pid();
    zk.create(node, new byte[8], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
    System.out.println("ready");
    System.out.flush();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.isBlank()) {
      int n = Integer.parseInt(line.trim());
      for (int i = 0; i < n; i++) {
        zk.getData(node, false, null);
      }
      System.out.println("done " + n);
      System.out.flush();
    }
    zk.close();
  }
}
