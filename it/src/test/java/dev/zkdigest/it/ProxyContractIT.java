package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.cli.Main;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.protocol.ZkRequest;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README and SECURITY.md promise of the proxy beyond forwarding: the connect timeout, that
 * a failing analysis never disturbs forwarding, and latency as defined (the request read from the
 * client to the reply arriving from the server).
 */
class ProxyContractIT {
  @TempDir Path dir;

  private static ZkProxy proxy(int upstreamPort, TrafficListener listener) throws Exception {
    return proxy("127.0.0.1", upstreamPort, listener);
  }

  private static ZkProxy proxy(String upstreamHost, int upstreamPort, TrafficListener listener)
      throws Exception {
    return ZkProxy.start(
        List.of(
            new Route(
                InetSocketAddress.createUnresolved("127.0.0.1", 0),
                InetSocketAddress.createUnresolved(upstreamHost, upstreamPort))),
        ZkProxy.Options.DEFAULTS,
        listener);
  }

  private static String via(ZkProxy p) {
    return "127.0.0.1:" + p.boundAddresses().get(0).getPort();
  }

  /**
   * A listening socket that never answers a SYN: its accept queue is full (Linux drops SYNs then),
   * as a server behind a firewall that drops, or a host that is down, behaves.
   */
  private static final class Blackhole implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    final List<Socket> queued = new ArrayList<>();

    Blackhole() throws Exception {
      for (int i = 0; i < 10; i++) {
        Socket s = new Socket();
        try {
          s.connect(server.getLocalSocketAddress(), 500);
          queued.add(s);
        } catch (SocketTimeoutException e) {
          s.close();
          return; // the queue is full: this SYN went unanswered
        }
      }
      throw new IllegalStateException("the accept queue never filled up");
    }

    int port() {
      return server.getLocalPort();
    }

    @Override
    public void close() throws Exception {
      for (Socket s : queued) {
        s.close();
      }
      server.close();
    }
  }

  @Test
  void upstreamThatNeverAnswersIsGivenUpAfterTheConnectTimeout() throws Exception {
    try (Blackhole hole = new Blackhole()) {
      // given: zkdigest proxy --connect-timeout 1s in front of it
      int listen = Ports.free();
      Path report = dir.resolve("report.json");
      CompletableFuture<Integer> run =
          CompletableFuture.supplyAsync(
              () ->
                  Main.run(
                      "proxy",
                      "--listen",
                      "127.0.0.1:" + listen,
                      "--upstream",
                      "127.0.0.1:" + hole.port(),
                      "--connect-timeout",
                      "1s",
                      "--duration",
                      "15s",
                      "--format",
                      "json",
                      "-o",
                      report.toString()));
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> {
                new Socket("127.0.0.1", listen).close();
                return true;
              });
      // when: a client connects; then: the proxy gives up on the upstream and closes it, long
      // before the kernel's own SYN retries would (about two minutes)
      try (Socket client = new Socket("127.0.0.1", listen)) {
        client.setSoTimeout(10_000);
        assertThat(client.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(run.get(60, TimeUnit.SECONDS)).isZero();
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      // Two failures: the probe that waited for the port to open, and the client.
      assertThat(json.at("/capture/proxy_upstream_failures").asLong()).isEqualTo(2);
      assertThat(json.at("/capture/proxy_connections_open").asLong()).isZero();
    }
  }

  /** Throws from inside the analysis for one request path, as a bug in the core would. */
  private static final class FailsOn implements TrafficListener {
    private final String path;

    FailsOn(String path) {
      this.path = path;
    }

    @Override
    public void request(ConnectionMeta c, long session, ZkRequest r) {
      if (path.equals(r.path())) {
        throw new IllegalStateException("injected failure in the analysis");
      }
    }
  }

  @Test
  void analysisThatThrowsStopsForThatConnectionOnlyAndForwardingGoesOn() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      try (ZkProxy p =
          proxy(zk.port(), TrafficListeners.of(List.of(new FailsOn("/boom"), digest.listener())))) {
        ZooKeeper victim = Workload.connect(via(p));
        ZooKeeper other = Workload.connect(via(p));
        victim.create("/ok", "v".getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // when: the analysis of one request of one connection throws
        assertThat(victim.exists("/boom", false)).isNull();
        // then: that connection is still forwarded both ways, its session alive...
        for (int i = 0; i < 5; i++) {
          assertThat(victim.getData("/ok", false, null)).isEqualTo("v".getBytes());
          assertThat(other.getData("/ok", false, null)).isEqualTo("v".getBytes());
        }
        long session = victim.getSessionId();
        victim.close();
        other.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().open() == 0);
        assertThat(p.stats().analysisStopped()).isEqualTo(1);
        assertThat(session).isNotZero();
      }
      // ...but no longer analysed, while the other connection is, every request of it
      {
        DigestSnapshot s = digest.total();
        assertThat(s.ops().get(Op.GET_DATA).requests()).isEqualTo(5);
        assertThat(s.ops().get(Op.CLOSE_SESSION).requests()).isEqualTo(1);
        assertThat(s.ops().get(Op.CREATE).requests()).isEqualTo(1);
        assertThat(s.decodeErrors()).isZero();
      }
    }
  }

  @Test
  void latencyRunsFromTheRequestReadToTheReplyArrivingFromTheServer() throws Exception {
    long serverDelayMs = 300;
    long clientStallMs = 300;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        DelayedLink slowServerSide = new DelayedLink(zk.port(), serverDelayMs)) {
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      long roundTrip;
      try (ZkProxy p = proxy(DelayedLink.HOST, slowServerSide.port(), digest.listener());
          RawClient c = new RawClient(p.boundAddresses().get(0).getPort(), 0)) {
        c.handshake();
        // given: a client that stalls in the middle of its request...
        byte[] request = RawClient.getData(1, "/zookeeper");
        long start = System.nanoTime();
        c.send(Arrays.copyOf(request, 6));
        Thread.sleep(clientStallMs);
        c.send(Arrays.copyOfRange(request, 6, request.length));
        // ...and a link that holds every server reply back
        c.readFrame();
        roundTrip = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
      }
      GroupStats getData;
      {
        getData = digest.total().ops().get(Op.GET_DATA);
      }
      assertThat(getData.responses()).isEqualTo(1);
      long latency = getData.latencySumUs();
      // then: the server side's delay is in it (the reply could not arrive sooner)...
      assertThat(latency).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toMicros(serverDelayMs));
      // ...and the client's stall is not (it ended before the request was read whole)
      assertThat(latency)
          .isLessThanOrEqualTo(roundTrip - TimeUnit.MILLISECONDS.toMicros(clientStallMs));
    }
  }
}
