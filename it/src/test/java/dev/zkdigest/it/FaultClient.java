package dev.zkdigest.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * The client side of {@link NetworkFaultsIT}, run as its own process inside the client's network
 * namespace: ZooKeeper's Java client runs {@link Workload}'s mixed rounds for a while, then prints
 * one JSON line with what it did (requests and errors by op), its session id at the start and the
 * end, and every connection state it went through.
 *
 * <pre>FaultClient CONNECT SECONDS</pre>
 */
public final class FaultClient {
  private FaultClient() {}

  public static void main(String[] args) throws Exception {
    String connect = args[0];
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[1]));
    System.setProperty("zookeeper.sasl.client", "false");
    List<String> states = new CopyOnWriteArrayList<>();
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            connect,
            30_000,
            e -> {
              if (e.getType() == Watcher.Event.EventType.None) {
                states.add(e.getState().name());
                if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                  up.countDown();
                }
              }
            });
    if (!up.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no connection to " + connect);
    }
    long session = zk.getSessionId();
    Workload work = new Workload();
    int round = 0;
    while (System.nanoTime() < end) {
      work.run(zk, "/round-" + round++, 3);
    }
    long sessionAtEnd = zk.getSessionId();
    work.close(zk);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("session_start", session);
    out.put("session_end", sessionAtEnd);
    out.put("rounds", round);
    out.put("states", states);
    out.put("requests", work.requests);
    out.put("errors", work.errors);
    System.out.println(new ObjectMapper().writeValueAsString(out));
  }
}
