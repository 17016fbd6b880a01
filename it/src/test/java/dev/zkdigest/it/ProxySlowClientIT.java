package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A client that reads slowly, or not at all, with megabytes of replies pending from a real
 * ZooKeeper: the proxy holds at most one read of its own and leaves the rest in the kernel, where
 * TCP's flow control makes the server wait; and nothing is lost when the server closes.
 */
class ProxySlowClientIT {
  /** Ten nodes of a megabyte each (under jute.maxbuffer): one multiRead of them is 10 MB. */
  private static final int NODES = 10;

  private static final int DATA = 1_000_000;

  /**
   * What the proxy may hold of one direction: one read, at most 64 KiB (Netty's adaptive receive
   * buffer), since the next read waits until that one is written (see {@code Relay}).
   */
  private static final long ONE_READ = 64 * 1024;

  private static final int MAX_FRAME = 16 << 20;

  /** A slow reader: 16 KiB every 5 ms, about 3 MB/s. */
  private static final int SLOW_READ_BYTES = 16 * 1024;

  private static final int SLOW_READ_PAUSE_MILLIS = 5;

  /** The slow client's receive buffer, set before connecting so its window stays small. */
  private static final int CLIENT_RECEIVE_BUFFER = 16 * 1024;

  private EmbeddedZooKeeper zk;
  private ZkProxy proxy;
  private Recording digest;
  private String[] paths;

  @BeforeEach
  void start() throws Exception {
    zk = EmbeddedZooKeeper.start("127.0.0.1");
    paths = new String[NODES];
    Random rnd = new Random(7);
    try (ZooKeeper c = Workload.connect(zk.connectString())) {
      c.create("/big", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < NODES; i++) {
        byte[] data = new byte[DATA];
        rnd.nextBytes(data);
        paths[i] = "/big/n" + i;
        c.create(paths[i], data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
    }
    digest = new Recording(Digest.Limits.DEFAULTS);
    proxy =
        ZkProxy.start(
            List.of(
                new Route(
                    InetSocketAddress.createUnresolved("127.0.0.1", 0),
                    InetSocketAddress.createUnresolved("127.0.0.1", zk.port()))),
            // Frames up to 16 MiB are decoded (the 10 MB reply is one), keeping at most 64 KiB
            // each.
            new ZkProxy.Options(ProtocolConfig.DEFAULTS.withMaxFrame(MAX_FRAME), 5_000, 0),
            digest.listener());
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    zk.close();
  }

  private int proxyPort() {
    return proxy.boundAddresses().get(0).getPort();
  }

  private long bytesFromServers() {
    {
      return digest.total().counter(Counter.BYTES_FROM_SERVERS);
    }
  }

  /**
   * Waits until {@code value} has moved past {@code start} and stopped: the proxy is waiting on the
   * client.
   */
  private static long settled(LongSupplier value, long start) {
    AtomicLong last = new AtomicLong(-1);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              long now = value.getAsLong();
              return now > start && last.getAndSet(now) == now;
            });
    return last.get();
  }

  /** The same request sent straight to ZooKeeper: the reply the proxy must pass on. */
  private byte[] directReply(byte[] request) throws Exception {
    try (RawClient direct = new RawClient(zk.port(), 0)) {
      direct.handshake();
      direct.send(request);
      return direct.readFrame();
    }
  }

  /** Two replies equal but for their header (xid, zxid, err): the zxid moves with every session. */
  private static void assertSameBody(byte[] actual, byte[] expected) {
    assertThat(actual.length).isEqualTo(expected.length);
    int header = 4 + 16;
    assertThat(Arrays.equals(actual, header, actual.length, expected, header, expected.length))
        .as("the reply's %,d bytes after its header are the server's", expected.length - header)
        .isTrue();
  }

  @Test
  void clientNotReadingATenMegabyteReplyStopsTheProxyReadingUpstream() throws Exception {
    byte[] request = RawClient.multiReadGetData(1, paths);
    byte[] expected = directReply(request);
    assertThat(expected.length).isGreaterThan(NODES * DATA);
    try (RawClient c = new RawClient(proxyPort(), CLIENT_RECEIVE_BUFFER)) {
      // given: a client that asks for 10 MB and reads none of it
      byte[] connected = c.handshake();
      c.send(request);
      // when: the proxy has read what it can
      long read = settled(this::bytesFromServers, connected.length) - connected.length;
      // then: it stopped reading from ZooKeeper long before the end of the reply...
      int upstreamPort = KernelSockets.connectedTo(zk.port()).get(0);
      KernelSockets.Queues upstream = KernelSockets.of(upstreamPort, zk.port());
      KernelSockets.Queues server = KernelSockets.of(zk.port(), upstreamPort);
      assertThat(read).isLessThan(expected.length);
      // ...the rest waits in the kernel, in the server's send queue or the proxy's receive queue
      assertThat(server.send() + upstream.receive()).isPositive();
      // ...and of what it read, the proxy itself holds at most one read
      KernelSockets.Queues toClient = KernelSockets.of(proxyPort(), c.socket.getLocalPort());
      KernelSockets.Queues client = KernelSockets.of(c.socket.getLocalPort(), proxyPort());
      long held = read - toClient.send() - client.receive();
      assertThat(held).isBetween(0L, ONE_READ);
      // when the client reads at last, it gets the whole reply, byte for byte
      assertSameBody(c.readFrame(), expected);
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().open() == 0);
    {
      var s = digest.total();
      assertThat(s.ops().get(Op.MULTI_READ).responses()).isEqualTo(1);
      assertThat(s.decodeErrors()).isZero();
    }
  }

  @Test
  void serverClosingAfterItsLastReplyLosesNothingForASlowClient() throws Exception {
    // given: 6 MB of replies, then closeSession: ZooKeeper answers and closes (FIN) at once, while
    // megabytes are still on their way to a client that reads slowly
    byte[] request = RawClient.multiReadGetData(1, Arrays.copyOf(paths, 6));
    byte[] expected = directReply(request);
    byte[] received;
    try (RawClient c = new RawClient(proxyPort(), CLIENT_RECEIVE_BUFFER)) {
      c.handshake();
      c.send(JuteOut.concat(request, RawClient.closeSession(2)));
      // when: the client reads slowly until the server has closed, then stops for a moment, so the
      // FIN reaches the proxy while it still has writes queued for the client
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      while (!KernelSockets.connectedTo(zk.port()).isEmpty()) {
        all.writeBytes(c.readSome(SLOW_READ_BYTES));
        Thread.sleep(SLOW_READ_PAUSE_MILLIS);
      }
      Thread.sleep(500);
      all.writeBytes(c.readToEnd());
      received = all.toByteArray();
    }
    // then: both replies whole (the FIN waited for the writes before it), then the end
    assertThat(received.length).isEqualTo(expected.length + 4 + 16); // and closeSession's reply
    assertSameBody(Arrays.copyOf(received, expected.length), expected);
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().open() == 0);
    {
      var s = digest.total();
      assertThat(s.ops().get(Op.CLOSE_SESSION).responses()).isEqualTo(1);
      assertThat(s.ops().get(Op.MULTI_READ).responses()).isEqualTo(1);
      assertThat(s.decodeErrors()).isZero();
    }
  }

  @Test
  void serverResetClosesTheClientAfterEverythingReadIsDelivered() throws Exception {
    Root.require("ss -K sends a reset for a socket");
    try (RawClient c = new RawClient(proxyPort(), CLIENT_RECEIVE_BUFFER)) {
      // given: a client with 3 MB of replies pending, not reading
      byte[] connected = c.handshake();
      c.send(RawClient.multiReadGetData(1, Arrays.copyOf(paths, 3)));
      settled(this::bytesFromServers, connected.length);
      // when: the server's side of the connection is reset (the kernel sends a RST)
      int upstreamPort = KernelSockets.connectedTo(zk.port()).get(0);
      Root.run("ss", "-K", "-tn", "sport", "=", ":" + zk.port(), "dport", "=", ":" + upstreamPort);
      await().atMost(Duration.ofSeconds(30)).until(() -> proxy.stats().upstreamResets() == 1);
      // then: every byte the proxy read from ZooKeeper reaches the client, then the end
      byte[] rest = c.readToEnd();
      assertThat((long) connected.length + rest.length).isEqualTo(bytesFromServers());
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().open() == 0);
    assertThat(proxy.stats().resets()).isZero(); // nothing went wrong on the client's side
    // and the proxy serves the next client
    try (ZooKeeper next = Workload.connect(via())) {
      assertThat(next.exists(paths[0], false)).isNotNull();
    }
  }

  private String via() {
    return "127.0.0.1:" + proxyPort();
  }
}
