package dev.zkdigest.it.agent;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;

/**
 * A Curator application for the agent's tests (child JVM): a fixed workload through Curator's
 * framework API, each call recorded as the ZooKeeper operation Curator 5 sends for it (its builders
 * call {@code create} with a Stat, hence {@code create2}, and {@code getChildren} with a Stat,
 * hence {@code getChildren2}). Arguments: {@code CONNECT RECORD_FILE ROUNDS}.
 */
public final class CuratorWorkload {
  private final Map<String, Long> record = new TreeMap<>();

  public static void main(String[] args) {
    try {
      new CuratorWorkload().run(args[0], Path.of(args[1]), Integer.parseInt(args[2]));
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private void count(String what) {
    record.merge("curator " + what, 1L, Long::sum);
  }

  private void run(String connect, Path recordFile, int rounds) throws Exception {
    byte[] data = "curator".getBytes(StandardCharsets.UTF_8);
    count("connect");
    try (CuratorFramework c =
        CuratorFrameworkFactory.builder()
            .connectString(connect)
            .retryPolicy(new RetryOneTime(100))
            .ensembleTracker(false)
            .build()) {
      c.start();
      if (!c.blockUntilConnected(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no session");
      }
      count("create2");
      c.create().forPath("/curator", data);
      for (int i = 0; i < rounds; i++) {
        String node = "/curator/n" + i;
        count("create2");
        c.create().forPath(node, data);
        count("getData");
        c.getData().forPath(node);
        count("setData");
        c.setData().forPath(node, data);
        count("exists");
        c.checkExists().forPath(node);
        try {
          count("setData");
          c.setData().withVersion(42).forPath(node, data);
        } catch (KeeperException.BadVersionException e) {
          count("error BADVERSION");
        }
        try {
          count("create2");
          c.create().forPath(node, data);
        } catch (KeeperException.NodeExistsException e) {
          count("error NODEEXISTS");
        }
        try {
          count("getData");
          c.getData().forPath(node + "/missing");
        } catch (KeeperException.NoNodeException e) {
          count("error NONODE");
        }
      }
      count("getChildren2");
      c.getChildren().forPath("/curator");
      for (int i = 0; i < rounds; i++) {
        count("delete");
        c.delete().forPath("/curator/n" + i);
      }
      count("delete");
      c.delete().forPath("/curator");
      count("closeSession");
    }
    List<String> lines = new ArrayList<>();
    record.forEach((k, v) -> lines.add(k + " " + v));
    Files.write(recordFile, lines, StandardCharsets.UTF_8);
  }
}
