package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** The proxy between real clients and a real embedded ZooKeeper. */
class ProxyIT {

  private static ZkProxy proxy(InetSocketAddress upstream, Recording digest) throws Exception {
    Route route =
        new Route(
            InetSocketAddress.createUnresolved("127.0.0.1", 0),
            InetSocketAddress.createUnresolved(upstream.getHostString(), upstream.getPort()));
    return ZkProxy.start(List.of(route), ZkProxy.Options.DEFAULTS, digest::forCurrentThread);
  }

  private static String via(ZkProxy p) {
    return "127.0.0.1:" + p.boundAddresses().get(0).getPort();
  }

  @Test
  void reportCountsEqualWhatZooKeeperAndCuratorClientsDid() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      // given
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      Workload work = new Workload();
      try (ZkProxy p = proxy(new InetSocketAddress("127.0.0.1", zk.port()), digest)) {
        // when: ZooKeeper's client...
        ZooKeeper client = Workload.connect(via(p));
        work.run(client, "/proxy", 5);
        work.close(client);
        // ...and Curator's, whose calls map to these opcodes
        // Without the ensemble tracker, which would add its own watch on /zookeeper/config.
        CuratorFramework c =
            CuratorFrameworkFactory.builder()
                .connectString(via(p))
                .retryPolicy(new RetryOneTime(100))
                .ensembleTracker(false)
                .build();
        c.start();
        c.blockUntilConnected();
        c.create().forPath("/cur", "x".getBytes());
        c.getData().forPath("/cur");
        c.setData().forPath("/cur", "y".getBytes());
        c.checkExists().forPath("/nothing");
        c.getChildren().forPath("/");
        c.delete().forPath("/cur");
        c.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().open() == 0);
      }
      // then
      Map<String, Long> expected = new TreeMap<>(work.requests);
      expected.merge("connect", 2L, Long::sum);
      expected.merge("closeSession", 1L, Long::sum);
      expected.merge("create2", 1L, Long::sum);
      expected.merge("getData", 1L, Long::sum);
      expected.merge("setData", 1L, Long::sum);
      expected.merge("exists", 1L, Long::sum);
      expected.merge("getChildren2", 1L, Long::sum);
      expected.merge("delete", 1L, Long::sum);
      assertThat(DigestCounts.requests(digest.total())).isEqualTo(expected);
      Map<String, Map<String, Long>> expectedErrors = new TreeMap<>(work.errors);
      expectedErrors.put("exists", Map.of("NONODE", 1L));
      assertThat(DigestCounts.errors(digest.total())).isEqualTo(expectedErrors);
      {
        DigestSnapshot s = digest.total();
        assertThat(s.unmatched()).isZero();
        assertThat(s.decodeErrors()).isZero();
        assertThat(s.pending()).isZero();
        assertThat(s.sessions()).isEqualTo(2);
        assertThat(s.responses()).isEqualTo(s.requests());
      }
    }
  }

  /** A loopback address of its own (Linux routes all of 127/8 to lo) for the echo upstream. */
  private static final String ECHO_ADDRESS = "127.0.0.2";

  /** An upstream that keeps a digest of what it receives and echoes every byte back. */
  private static final class EchoUpstream implements AutoCloseable {
    // Not on 127.0.0.1: a ZooKeeper client an earlier test left retrying its old server's port
    // could connect here when the kernel hands out that port again, and be the one accepted.
    final ServerSocket server =
        new ServerSocket(0, 50, java.net.InetAddress.getByName(ECHO_ADDRESS));
    final CompletableFuture<byte[]> received = new CompletableFuture<>();

    EchoUpstream() throws Exception {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  MessageDigest sha = MessageDigest.getInstance("SHA-256");
                  InputStream in = s.getInputStream();
                  OutputStream out = s.getOutputStream();
                  byte[] buf = new byte[65536];
                  int n;
                  while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    out.write(buf, 0, n);
                  }
                  s.shutdownOutput();
                  received.complete(sha.digest());
                } catch (Exception e) {
                  received.completeExceptionally(e);
                }
              });
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  @Test
  void forwardsThousandsOfRandomFramesByteForByteBothWays() throws Exception {
    Recording digest = new Recording(Digest.Limits.DEFAULTS);
    try (EchoUpstream echo = new EchoUpstream();
        ZkProxy p = proxy(new InetSocketAddress(ECHO_ADDRESS, echo.server.getLocalPort()), digest);
        Socket client = new Socket("127.0.0.1", p.boundAddresses().get(0).getPort())) {
      // given: length-prefixed frames of random sizes up to 1 MiB, some beyond the frame cap
      Random rnd = new Random(42);
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      ExecutorService reader = Executors.newSingleThreadExecutor();
      Future<byte[]> back =
          reader.submit(
              () -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                InputStream in = client.getInputStream();
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                  sha.update(buf, 0, n);
                }
                return sha.digest();
              });
      DataOutputStream out = new DataOutputStream(client.getOutputStream());
      long total = 0;
      // when
      for (int i = 0; i < 3000; i++) {
        int size = (int) Math.min(1 << 20, Math.exp(rnd.nextDouble() * Math.log(1 << 20)));
        byte[] frame = new byte[4 + size];
        rnd.nextBytes(frame);
        frame[0] = (byte) (size >>> 24);
        frame[1] = (byte) (size >>> 16);
        frame[2] = (byte) (size >>> 8);
        frame[3] = (byte) size;
        out.write(frame);
        sent.update(frame);
        total += frame.length;
      }
      out.flush();
      client.shutdownOutput();
      byte[] expected = sent.digest();
      // then: what the upstream got, and what came back, are exactly what was sent
      assertThat(echo.received.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(expected);
      assertThat(back.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(expected);
      reader.shutdown();
      {
        assertThat(digest.total().counter(Counter.BYTES_FROM_CLIENTS)).isEqualTo(total);
        assertThat(digest.total().counter(Counter.BYTES_FROM_SERVERS)).isEqualTo(total);
        // random bytes are not ZooKeeper: counted as decode errors, never a failure to forward
        assertThat(digest.total().decodeErrors()).isPositive();
      }
    }
  }

  @Test
  void upstreamKilledAndRestartedClientsReconnectThroughTheProxy() throws Exception {
    int zkPort = Ports.free();
    Recording digest = new Recording(Digest.Limits.DEFAULTS);
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1", zkPort);
    try (ZkProxy p = proxy(new InetSocketAddress("127.0.0.1", zkPort), digest)) {
      ZooKeeper client = Workload.connect(via(p));
      client.create("/restart", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      long session = client.getSessionId();
      // when: the server goes away, and comes back on the same port with the same data
      zk.stopKeepingData();
      await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().open() == 0);
      zk = EmbeddedZooKeeper.restart(zk);
      // then: the client reconnects through the proxy and its session survives
      ZooKeeper c = client;
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> c.exists("/restart", false) != null);
      assertThat(client.getSessionId()).isEqualTo(session);
      client.close();
      assertThat(p.stats().accepted()).isGreaterThanOrEqualTo(2);
      {
        assertThat(digest.total().ops().get(Op.CONNECT).requests()).isGreaterThanOrEqualTo(2);
        assertThat(digest.total().sessions()).isEqualTo(1);
      }
    } finally {
      zk.close();
    }
  }

  @Test
  void upstreamRefusingClosesTheClientAndIsCounted() throws Exception {
    int dead = Ports.free();
    Recording digest = new Recording(Digest.Limits.DEFAULTS);
    try (ZkProxy p = proxy(new InetSocketAddress("127.0.0.1", dead), digest);
        Socket s = new Socket("127.0.0.1", p.boundAddresses().get(0).getPort())) {
      s.setSoTimeout(10_000);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      await().atMost(Duration.ofSeconds(5)).until(() -> p.stats().upstreamFailures() == 1);
    }
  }

  @Test
  void thousandConcurrentClientsAreAllServedAndCounted() throws Exception {
    int n = 1000;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      try (ZkProxy p = proxy(new InetSocketAddress("127.0.0.1", zk.port()), digest)) {
        List<ZooKeeper> clients = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
          List<CompletableFuture<ZooKeeper>> opening = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            opening.add(
                CompletableFuture.supplyAsync(
                    () -> {
                      try {
                        return Workload.connect(via(p));
                      } catch (Exception e) {
                        throw new RuntimeException(e);
                      }
                    },
                    pool));
          }
          for (CompletableFuture<ZooKeeper> f : opening) {
            clients.add(f.get(120, java.util.concurrent.TimeUnit.SECONDS));
          }
          assertThat(p.stats().open()).isEqualTo(n);
          for (ZooKeeper c : clients) {
            c.exists("/", false);
          }
        } finally {
          // Each close waits for its closeSession reply: close them side by side.
          List<CompletableFuture<Void>> closing = new ArrayList<>();
          for (ZooKeeper c : clients) {
            closing.add(
                CompletableFuture.runAsync(
                    () -> {
                      try {
                        c.close();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    },
                    pool));
          }
          CompletableFuture.allOf(closing.toArray(new CompletableFuture[0]))
              .get(120, java.util.concurrent.TimeUnit.SECONDS);
          pool.shutdown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> p.stats().open() == 0);
      }
      {
        DigestSnapshot s = digest.total();
        assertThat(s.connections()).isEqualTo(n);
        assertThat(s.sessions()).isEqualTo(n);
        assertThat(s.ops().get(Op.EXISTS).requests()).isEqualTo(n);
        assertThat(s.ops().get(Op.CLOSE_SESSION).requests()).isEqualTo(n);
        assertThat(s.decodeErrors()).isZero();
      }
    }
  }
}
