package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Misbehaving clients around the proxy, with a real ZooKeeper behind it: the proxy keeps forwarding
 * for everyone else, and its counts stay equal to what the well-behaved clients did.
 */
class ProxyFaultsIT {
  private EmbeddedZooKeeper zk;
  private ZkProxy proxy;
  private Recording digest;

  @BeforeEach
  void start() throws Exception {
    zk = EmbeddedZooKeeper.start("127.0.0.1");
    digest = new Recording(Digest.Limits.DEFAULTS);
    proxy =
        ZkProxy.start(
            List.of(
                new Route(
                    InetSocketAddress.createUnresolved("127.0.0.1", 0),
                    InetSocketAddress.createUnresolved("127.0.0.1", zk.port()))),
            ZkProxy.Options.DEFAULTS,
            digest::forCurrentThread);
  }

  @AfterEach
  void stop() throws Exception {
    proxy.close();
    zk.close();
  }

  private String via() {
    return "127.0.0.1:" + proxy.boundAddresses().get(0).getPort();
  }

  private Socket raw() throws Exception {
    Socket s = new Socket("127.0.0.1", proxy.boundAddresses().get(0).getPort());
    s.setSoTimeout(10_000);
    return s;
  }

  /** A handshake by hand, then the server's ConnectResponse read back. */
  private static void handshake(Socket s) throws Exception {
    s.getOutputStream().write(JuteOut.connectRequest(0, true));
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] resp = new byte[in.readInt()];
    in.readFully(resp);
  }

  /** A well-behaved client's round of requests, to show the proxy still serves everyone. */
  private long wellBehavedRound(String root) throws Exception {
    ZooKeeper c = Workload.connect(via());
    c.create(root, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    for (int i = 0; i < 10; i++) {
      c.getData(root, false, null);
    }
    c.close();
    return 10;
  }

  private long getDataRequests() {
    {
      var st = digest.total().ops().get(Op.GET_DATA);
      return st == null ? 0 : st.requests();
    }
  }

  @Test
  void clientResetMidFrameLeavesTheProxyServing() throws Exception {
    try (Socket s = raw()) {
      handshake(s);
      byte[] frame = JuteOut.request(1, Op.GET_DATA).str("/zookeeper").bool(false).frame();
      s.getOutputStream().write(frame, 0, 9);
      s.getOutputStream().flush();
      Thread.sleep(100);
      s.setSoLinger(true, 0); // close with RST
    }
    assertThat(wellBehavedRound("/after-rst")).isEqualTo(getDataRequests());
    await().atMost(Duration.ofSeconds(10)).until(() -> proxy.stats().open() == 0);
  }

  @Test
  void clientThatNeverSendsIsLeftAloneAndOthersAreServed() throws Exception {
    try (Socket silent = raw()) {
      silent.setSoTimeout(1_000);
      assertThat(wellBehavedRound("/beside-silent")).isEqualTo(getDataRequests());
      // Still open: the proxy does not cut a quiet client off (ZooKeeper decides that).
      assertThatThrownBy(() -> silent.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
    }
  }

  @Test
  void halfAFrameThenAStallDoesNotHoldUpOthers() throws Exception {
    try (Socket stalled = raw()) {
      handshake(stalled);
      byte[] frame = JuteOut.request(1, Op.GET_DATA).str("/zookeeper").bool(false).frame();
      OutputStream out = stalled.getOutputStream();
      out.write(frame, 0, frame.length / 2);
      out.flush();
      assertThat(wellBehavedRound("/beside-stall")).isEqualTo(getDataRequests());
      // The rest of the frame arrives late: it is forwarded and answered like any other.
      out.write(frame, frame.length / 2, frame.length - frame.length / 2);
      out.flush();
      DataInputStream in = new DataInputStream(stalled.getInputStream());
      byte[] reply = new byte[in.readInt()];
      in.readFully(reply);
      assertThat(reply.length).isGreaterThan(16);
    }
    assertThat(getDataRequests()).isEqualTo(11);
    {
      assertThat(digest.total().decodeErrors()).isZero();
    }
  }

  @Test
  void fiveThousandConnectionsOpeningAndClosing() throws Exception {
    int n = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<CompletableFuture<Void>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    ZooKeeper c = Workload.connect(via());
                    c.exists("/", false);
                    c.close();
                  } catch (Exception e) {
                    throw new RuntimeException(e);
                  }
                },
                pool));
      }
      CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get(300, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> proxy.stats().open() == 0);
    {
      var s = digest.total();
      assertThat(s.connections()).isEqualTo(n);
      assertThat(s.sessions()).isEqualTo(n);
      assertThat(s.ops().get(Op.EXISTS).requests()).isEqualTo(n);
      assertThat(s.ops().get(Op.CLOSE_SESSION).responses()).isEqualTo(n);
      assertThat(s.unmatched()).isZero();
      assertThat(s.decodeErrors()).isZero();
    }
    assertThat(proxy.stats().accepted()).isEqualTo(n);
  }

  @Test
  void megabyteResponsesArriveWholeAndAreCounted() throws Exception {
    byte[] data = new byte[1_000_000];
    new Random(1).nextBytes(data);
    ZooKeeper c = Workload.connect(via());
    c.create("/big", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    for (int i = 0; i < 5; i++) {
      assertThat(c.getData("/big", false, null)).isEqualTo(data);
    }
    c.close();
    {
      var st = digest.total().ops().get(Op.GET_DATA);
      assertThat(st.responses()).isEqualTo(5);
      assertThat(st.responseBytes()).isGreaterThan(5L * 1_000_000);
      assertThat(digest.total().decodeErrors()).isZero();
    }
  }
}
