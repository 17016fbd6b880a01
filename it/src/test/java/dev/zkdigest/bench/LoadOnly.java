package dev.zkdigest.bench;

import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.Workload;
import java.util.Locale;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The load of {@link ProxyLoad} against any address, for as long as asked, with the ZooKeeper
 * server on a fixed port: for looking at a proxy from outside while it carries a steady load
 * (strace, perf, a profiler).
 *
 * <pre>java ... LoadOnly ZK_PORT CONNECT RATE SECONDS [CLIENTS]</pre>
 */
public final class LoadOnly {
  private LoadOnly() {}

  public static void main(String[] args) throws Exception {
    int zkPort = Integer.parseInt(args[0]);
    String connect = args[1];
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int clients = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1", zkPort)) {
      try (ZooKeeper setup = Workload.connect("127.0.0.1:" + zkPort)) {
        setup.create("/load", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      ProxyLoad.Measured m = ProxyLoad.run(connect, clients, rate, seconds, null);
      System.out.printf(
          Locale.ROOT,
          "%.0f ops/s, p50 %d us, p99 %d us, p999 %d us%n",
          m.opsPerSec(),
          m.latency().getValueAtPercentile(50),
          m.latency().getValueAtPercentile(99),
          m.latency().getValueAtPercentile(99.9));
    }
  }
}
