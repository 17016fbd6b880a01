package dev.zkdigest.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** A connected ZooKeeper client, for the load harnesses. */
final class ProxyLoadAccess {
  private ProxyLoadAccess() {}

  static ZooKeeper connect(String s) throws Exception {
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            s,
            30_000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
              }
            });
    if (!up.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("cannot connect to " + s);
    }
    return zk;
  }
}
