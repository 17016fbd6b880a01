package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/**
 * A real three-server ensemble behind {@code zkdigest proxy --route ...}, one route per server:
 * killing the server a client is connected to makes the client fail over through another route, and
 * its session survives.
 */
class EnsembleFailoverIT {

  /** The server the proxy's one open connection goes to. */
  private static InstanceSpec connectedTo(ZkProxy proxy, List<InstanceSpec> specs) {
    List<InstanceSpec> open =
        specs.stream()
            .filter(
                s ->
                    proxy.stats().openByUpstream().getOrDefault("127.0.0.1:" + s.getPort(), 0L) > 0)
            .toList();
    assertThat(open).hasSize(1);
    return open.get(0);
  }

  @Test
  void clientFailsOverThroughAnotherRouteAndKeepsItsSession() throws Exception {
    System.setProperty("zookeeper.admin.enableServer", "false");
    try (TestingCluster cluster = new TestingCluster(3)) {
      cluster.start();
      List<InstanceSpec> specs = new ArrayList<>(cluster.getInstances());
      List<Route> routes = new ArrayList<>();
      for (InstanceSpec spec : specs) {
        routes.add(
            new Route(
                InetSocketAddress.createUnresolved("127.0.0.1", 0),
                InetSocketAddress.createUnresolved("127.0.0.1", spec.getPort())));
      }
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      try (ZkProxy proxy =
          ZkProxy.start(routes, ZkProxy.Options.DEFAULTS, digest::forCurrentThread)) {
        String connect =
            proxy.boundAddresses().stream()
                .map(a -> "127.0.0.1:" + a.getPort())
                .collect(Collectors.joining(","));
        ZooKeeper client = Workload.connect(connect);
        client.create("/failover", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        long session = client.getSessionId();
        InstanceSpec before = connectedTo(proxy, specs);

        // when: the server this client talks to (through its route) dies
        cluster.killServer(before);

        // then: it reconnects through another route, same session
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> client.exists("/failover", false) != null);
        assertThat(client.getSessionId()).isEqualTo(session);
        InstanceSpec after = connectedTo(proxy, specs);
        assertThat(after).isNotEqualTo(before);
        for (int i = 0; i < 10; i++) {
          client.getData("/failover", false, null);
        }
        client.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().open() == 0);
        {
          DigestSnapshot s = digest.total();
          assertThat(s.sessions()).isEqualTo(1);
          assertThat(s.ops().get(Op.CONNECT).requests()).isGreaterThanOrEqualTo(2);
          assertThat(s.ops().get(Op.GET_DATA).requests()).isEqualTo(10);
          assertThat(s.ops().get(Op.CLOSE_SESSION).requests()).isEqualTo(1);
          assertThat(s.decodeErrors()).isZero();
        }
        assertThat(proxy.stats().accepted()).isGreaterThanOrEqualTo(2);
      }
    }
  }
}
