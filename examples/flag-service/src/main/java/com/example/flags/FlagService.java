package com.example.flags;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Feature flags kept in ZooKeeper under /flags: each flag is read once with a watch and read again
 * only when it changes. Its tests hold it to that with zkdigest-junit: a poll loop or a read per
 * request would break their budget.
 */
public final class FlagService implements AutoCloseable, Watcher {
  public static final String ROOT = "/flags";

  private final ZooKeeper zk;
  private final Map<String, String> flags = new ConcurrentHashMap<>();
  private final CountDownLatch connected = new CountDownLatch(1);

  public FlagService(String connectString, List<String> names) throws Exception {
    zk = new ZooKeeper(connectString, 30_000, this);
    if (!connected.await(20, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no ZooKeeper at " + connectString);
    }
    for (String name : names) {
      read(ROOT + "/" + name);
    }
  }

  /** The flag's value, or null when it is not set. */
  public String get(String name) {
    return flags.get(name);
  }

  private void read(String path) throws KeeperException, InterruptedException {
    String name = path.substring(ROOT.length() + 1);
    try {
      byte[] data = zk.getData(path, this, null);
      flags.put(name, new String(data, StandardCharsets.UTF_8));
    } catch (KeeperException.NoNodeException e) {
      flags.remove(name);
      zk.exists(path, this); // to hear when it is created
    }
  }

  @Override
  public void process(WatchedEvent e) {
    if (e.getState() == Event.KeeperState.SyncConnected && e.getType() == Event.EventType.None) {
      connected.countDown();
    }
    if (e.getPath() != null && e.getType() != Event.EventType.None) {
      try {
        read(e.getPath());
      } catch (KeeperException | InterruptedException ex) {
        // the next event reads it again
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    zk.close();
  }
}
