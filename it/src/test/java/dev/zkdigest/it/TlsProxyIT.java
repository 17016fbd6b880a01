package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.proxy.ListenerTls;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.TlsEngine;
import dev.zkdigest.proxy.ZkProxy;
import dev.zkdigest.report.ShowPrinter;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The proxy as a TLS endpoint on both sides, between ZooKeeper's Java client over TLS and a
 * ZooKeeper serving TLS ({@code secureClientPort}), with certificates made for each test.
 */
class TlsProxyIT {
  @TempDir Path dir;
  private TlsFixture tls;

  @BeforeEach
  void certificates() {
    tls = new TlsFixture(dir);
  }

  /** The connections the proxy opened for analysis, with what they carry of TLS. */
  private static final class Opened implements TrafficListener {
    final List<ConnectionMeta> metas = new CopyOnWriteArrayList<>();

    @Override
    public void opened(ConnectionMeta conn) {
      metas.add(conn);
    }
  }

  /** The proxy, each event loop recording into its own recorder beside the other listeners. */
  private static ZkProxy start(
      List<Route> routes, TlsEngine engine, Recording digest, TrafficListener... others)
      throws IOException {
    return ZkProxy.start(
        routes,
        ZkProxy.Options.DEFAULTS.withTlsEngine(engine),
        () -> {
          List<TrafficListener> all = new java.util.ArrayList<>(List.of(others));
          all.add(0, digest.forCurrentThread());
          return TrafficListeners.of(all);
        });
  }

  private static String via(ZkProxy p, int route) {
    return "127.0.0.1:" + p.boundAddresses().get(route).getPort();
  }

  private static long stat(ZkProxy p, String name) {
    return p.stats().asMap().getOrDefault(name, 0L);
  }

  /** The names of the failure-by-reason counters that are not zero. */
  private static List<String> failureReasons(ZkProxy p) {
    return p.stats().asMap().keySet().stream().filter(k -> k.contains("_tls_failed_")).toList();
  }

  @Test
  void mutualTlsCountsEveryOpAndErrorOfZooKeepersTlsClient() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls())) {
      // given
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      Opened opened = new Opened();
      StringWriter shown = new StringWriter();
      ShowPrinter debug = new ShowPrinter(new PrintWriter(shown), true);
      TestCertificates.Issued app = tls.clientsCa.issue("app-1");
      Workload work = new Workload();
      Map<String, Long> stats;
      try (ZkProxy p =
          start(List.of(tls.tlsRoute(zk.port())), TlsEngine.AUTO, digest, opened, debug)) {
        // when: ZooKeeper's client, TLS with its own certificate, does a mixed workload
        ZooKeeper client = Workload.connect(via(p, 0), tls.clientConfig(app));
        work.run(client, "/tls", 5);
        work.close(client);
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().open() == 0);
        stats = p.stats().asMap();
      }
      // then: every request and error as the client made them
      Map<String, Long> expected = new TreeMap<>(work.requests);
      expected.merge("connect", 1L, Long::sum);
      assertThat(DigestCounts.requests(digest.total())).isEqualTo(expected);
      assertThat(DigestCounts.errors(digest.total())).isEqualTo(work.errors);
      {
        DigestSnapshot s = digest.total();
        assertThat(s.unmatched()).isZero();
        assertThat(s.decodeErrors()).isZero();
        assertThat(s.pending()).isZero();
        assertThat(s.sessions()).isEqualTo(1);
      }
      // and the connection carries its TLS session: both ends speak TLS 1.3, the subject is the
      // certificate the client was given
      assertThat(opened.metas).hasSize(1);
      ConnectionMeta meta = opened.metas.get(0);
      assertThat(meta.tls()).isNotNull();
      assertThat(meta.tls().protocol()).isEqualTo("TLSv1.3");
      assertThat(meta.tls().cipher()).startsWith("TLS_");
      assertThat(meta.tls().clientSubject()).isEqualTo(app.subject());
      assertThat(shown.toString())
          .contains(" tls TLSv1.3 " + meta.tls().cipher() + " subject \"" + app.subject() + "\"\n");
      assertThat(stats)
          .containsEntry("proxy_tls_handshakes", 1L)
          .containsEntry("proxy_tls_handshake_failures", 0L)
          .containsEntry("proxy_upstream_tls_handshakes", 1L)
          .containsEntry("proxy_upstream_tls_handshake_failures", 0L);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsEngine.class,
      names = {"OPENSSL", "JDK"})
  void refusesAClientCertificateFromAnotherCa(TlsEngine engine) throws Exception {
    TestCertificates.Issued intruder = tls.rogueCa.issue("intruder");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls());
        ZkProxy p =
            start(
                List.of(tls.tlsRoute(zk.port())), engine, new Recording(Digest.Limits.DEFAULTS))) {
      // ZooKeeper's client (the JDK's key manager) holds back a certificate whose CA the proxy
      // does not name in its request: refused for sending none
      ZKClientConfig config = tls.clientConfig(intruder);
      zooKeeperClientIsRefused(p, config, "no_certificate");
      handshakeEndsInAnAlert(p, TlsFixture.socket(config));
      // a client that presents it anyway, as OpenSSL-based clients do: refused for its CA
      SSLSocket insistent =
          (SSLSocket)
              TlsFixture.jdkContextAlwaysPresenting(intruder, tls.proxyCa.certificate())
                  .getSocketFactory()
                  .createSocket();
      handshakeEndsInAnAlert(p, insistent);
      assertThat(stat(p, "proxy_tls_failed_untrusted_certificate")).isEqualTo(1);
      refusedClientsNeverReachedZooKeeper(p);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsEngine.class,
      names = {"OPENSSL", "JDK"})
  void refusesAnExpiredClientCertificate(TlsEngine engine) throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls());
        ZkProxy p =
            start(
                List.of(tls.tlsRoute(zk.port())), engine, new Recording(Digest.Limits.DEFAULTS))) {
      ZKClientConfig config = tls.clientConfig(tls.clientsCa.issueExpired("late"));
      zooKeeperClientIsRefused(p, config, "expired_certificate");
      handshakeEndsInAnAlert(p, TlsFixture.socket(config));
      refusedClientsNeverReachedZooKeeper(p);
    }
  }

  /** ZooKeeper's client tries (and retries); the proxy counts each refusal with its reason. */
  private static void zooKeeperClientIsRefused(ZkProxy p, ZKClientConfig config, String reason)
      throws Exception {
    ZooKeeper client = new ZooKeeper(via(p, 0), 30_000, e -> {}, config);
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> stat(p, "proxy_tls_failed_" + reason) >= 1);
      assertThat(failureReasons(p)).containsExactly("proxy_tls_failed_" + reason);
      assertThat(client.getState().isConnected()).isFalse();
    } finally {
      client.close();
    }
  }

  /** What the refused client sees: the proxy's TLS alert, not a silent close. */
  private static void handshakeEndsInAnAlert(ZkProxy p, SSLSocket s) throws Exception {
    try (s) {
      s.connect(new InetSocketAddress("127.0.0.1", p.boundAddresses().get(0).getPort()));
      s.setSoTimeout(10_000);
      assertThatThrownBy(
              () -> {
                // TLS 1.3: the server judges the client's certificate after the client's side of
                // the handshake is done, so the alert comes with the first read
                s.startHandshake();
                s.getInputStream().read();
              })
          .isInstanceOf(SSLException.class)
          .hasMessageContaining("alert");
    }
  }

  private static void refusedClientsNeverReachedZooKeeper(ZkProxy p) {
    assertThat(stat(p, "proxy_upstream_tls_handshakes")).isZero();
    assertThat(p.stats().openByUpstream()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsEngine.class,
      names = {"OPENSSL", "JDK"})
  void refusesAPlainClientOnATlsPort(TlsEngine engine) throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls());
        ZkProxy p =
            start(
                List.of(tls.tlsRoute(zk.port())), engine, new Recording(Digest.Limits.DEFAULTS))) {
      // when: ZooKeeper's plain client (NIO, no TLS) connects to the TLS port
      ZooKeeper plain = new ZooKeeper(via(p, 0), 30_000, e -> {});
      try {
        // then
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> stat(p, "proxy_tls_failed_not_tls") >= 1);
        assertThat(failureReasons(p)).containsExactly("proxy_tls_failed_not_tls");
        assertThat(plain.getState().isConnected()).isFalse();
      } finally {
        plain.close();
      }
      // and what a plain client sees: its handshake unanswered, the connection closed
      try (Socket s = new Socket("127.0.0.1", p.boundAddresses().get(0).getPort())) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write(JuteOut.connectRequest(0, true));
        InputStream in = s.getInputStream();
        int first;
        try {
          first = in.read();
        } catch (java.net.SocketException reset) {
          first = -1; // closed with unread bytes: a reset is a close too
        }
        assertThat(first).isEqualTo(-1);
      }
      assertThat(p.stats().openByUpstream()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = TlsEngine.class,
      names = {"OPENSSL", "JDK"})
  void forwardsRandomFramesByteForByteOverTlsBothWays(TlsEngine engine) throws Exception {
    Recording digest = new Recording(Digest.Limits.DEFAULTS);
    TestCertificates.Issued app = tls.clientsCa.issue("app-1");
    try (TlsEcho echo =
            new TlsEcho(
                TlsFixture.jdkContext(tls.zookeeperCa.issue("echo"), tls.clientsCa.certificate()));
        ZkProxy p = start(List.of(tls.tlsRoute(echo.port())), engine, digest);
        SSLSocket client =
            (SSLSocket)
                TlsFixture.jdkContext(app, tls.proxyCa.certificate())
                    .getSocketFactory()
                    .createSocket("127.0.0.1", p.boundAddresses().get(0).getPort())) {
      // given: length-prefixed frames of random sizes up to 1 MiB, some beyond the frame cap
      Random rnd = new Random(42);
      MessageDigest sent = MessageDigest.getInstance("SHA-256");
      long total = 0;
      byte[][] frames = new byte[400][];
      for (int i = 0; i < frames.length; i++) {
        int size = (int) Math.min(1 << 20, Math.exp(rnd.nextDouble() * Math.log(1 << 20)));
        byte[] frame = new byte[4 + size];
        rnd.nextBytes(frame);
        frame[0] = (byte) (size >>> 24);
        frame[1] = (byte) (size >>> 16);
        frame[2] = (byte) (size >>> 8);
        frame[3] = (byte) size;
        frames[i] = frame;
        sent.update(frame);
        total += frame.length;
      }
      byte[] expected = sent.digest();
      long want = total;
      ExecutorService reader = Executors.newSingleThreadExecutor();
      Future<byte[]> back =
          reader.submit(
              () -> {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                InputStream in = client.getInputStream();
                byte[] buf = new byte[65536];
                long got = 0;
                int n;
                while (got < want && (n = in.read(buf)) > 0) {
                  sha.update(buf, 0, n);
                  got += n;
                }
                return sha.digest();
              });
      // when
      DataOutputStream out = new DataOutputStream(client.getOutputStream());
      for (byte[] frame : frames) {
        out.write(frame);
      }
      out.flush();
      // then: what came back is exactly what was sent, and so is what the upstream got
      assertThat(back.get(120, TimeUnit.SECONDS)).isEqualTo(expected);
      reader.shutdown();
      client.close();
      assertThat(echo.received.get(60, TimeUnit.SECONDS)).isEqualTo(expected);
      synchronized (digest) {
        assertThat(digest.total().counter(Counter.BYTES_FROM_CLIENTS)).isEqualTo(total);
        assertThat(digest.total().counter(Counter.BYTES_FROM_SERVERS)).isEqualTo(total);
      }
    }
  }

  @Test
  void refusesAnUpstreamWhoseCertificateNamesAnotherHostUnlessInsecure() throws Exception {
    TestCertificates.Issued app = tls.clientsCa.issue("app-1");
    TestCertificates.Issued elsewhere = tls.zookeeperCa.issueFor("zk", "zk.example.invalid");
    for (boolean insecure : new boolean[] {false, true}) {
      try (TlsEcho echo =
              new TlsEcho(TlsFixture.jdkContext(elsewhere, tls.clientsCa.certificate()));
          ZkProxy p =
              start(
                  List.of(
                      new Route(
                          InetSocketAddress.createUnresolved("127.0.0.1", 0),
                          InetSocketAddress.createUnresolved("127.0.0.1", echo.port()),
                          tls.listenerTls(),
                          tls.upstreamTls(insecure))),
                  TlsEngine.AUTO,
                  new Recording(Digest.Limits.DEFAULTS));
          SSLSocket client =
              (SSLSocket)
                  TlsFixture.jdkContext(app, tls.proxyCa.certificate())
                      .getSocketFactory()
                      .createSocket("127.0.0.1", p.boundAddresses().get(0).getPort())) {
        client.setSoTimeout(10_000);
        client.getOutputStream().write(JuteOut.connectRequest(0, true));
        client.getOutputStream().flush();
        if (insecure) {
          // the chain is still from the trusted CA: the bytes go through
          byte[] back = client.getInputStream().readNBytes(4);
          assertThat(back).isEqualTo(java.util.Arrays.copyOf(JuteOut.connectRequest(0, true), 4));
          assertThat(failureReasons(p)).isEmpty();
        } else {
          // then: the client's connection is closed, and the proxy says why
          int first;
          try {
            first = client.getInputStream().read();
          } catch (SSLException | java.net.SocketException closed) {
            first = -1;
          }
          assertThat(first).isEqualTo(-1);
          await()
              .atMost(Duration.ofSeconds(10))
              .until(() -> stat(p, "proxy_upstream_tls_failed_hostname_mismatch") == 1);
          assertThat(failureReasons(p))
              .containsExactly("proxy_upstream_tls_failed_hostname_mismatch");
          assertThat(p.stats().upstreamFailures()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void plainAndTlsListenersRunSideBySide() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls())) {
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      Opened opened = new Opened();
      TestCertificates.Issued app = tls.clientsCa.issue("app-2");
      // given: a plain listener for clients not moved to TLS yet, and a TLS one, one ZooKeeper
      Route plainToTls =
          new Route(
              InetSocketAddress.createUnresolved("127.0.0.1", 0),
              InetSocketAddress.createUnresolved("127.0.0.1", zk.port()),
              null,
              tls.upstreamTls(false));
      try (ZkProxy p =
          start(List.of(plainToTls, tls.tlsRoute(zk.port())), TlsEngine.AUTO, digest, opened)) {
        // when
        ZooKeeper plain = Workload.connect(via(p, 0));
        ZooKeeper secure = Workload.connect(via(p, 1), tls.clientConfig(app));
        plain.create("/plain", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        secure.create("/secure", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        // then: both reach the same server
        assertThat(plain.exists("/secure", false)).isNotNull();
        assertThat(secure.exists("/plain", false)).isNotNull();
        plain.close();
        secure.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> p.stats().open() == 0);
        assertThat(p.stats().asMap())
            .containsEntry("proxy_tls_handshakes", 1L)
            .containsEntry("proxy_upstream_tls_handshakes", 2L);
      }
      assertThat(DigestCounts.requests(digest.total()))
          .containsEntry("create", 2L)
          .containsEntry("exists", 2L)
          .containsEntry("connect", 2L);
      assertThat(opened.metas).hasSize(2);
      assertThat(opened.metas.stream().filter(m -> m.tls() == null)).hasSize(1);
      assertThat(
              opened.metas.stream().filter(m -> m.tls() != null).map(m -> m.tls().clientSubject()))
          .containsExactly(app.subject());
    }
  }

  @Test
  void aPkcs12KeystoreWorksAndSecretsOthersCanReadAreWarnedAbout() throws Exception {
    TestCertificates.Issued app = tls.clientsCa.issue("app-3");
    Path p12 = tls.proxyCa.issue("proxy").writePkcs12(dir.resolve("proxy.p12"), "s3cret-pw");
    Path password = Files.writeString(dir.resolve("password"), "s3cret-pw\n");
    Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-r-----"));
    try (TlsEcho echo =
            new TlsEcho(
                TlsFixture.jdkContext(tls.zookeeperCa.issue("echo"), tls.clientsCa.certificate()));
        ZkProxy p =
            start(
                List.of(
                    new Route(
                        InetSocketAddress.createUnresolved("127.0.0.1", 0),
                        InetSocketAddress.createUnresolved("127.0.0.1", echo.port()),
                        new ListenerTls(p12, null, password, tls.clientsCaPem),
                        tls.upstreamTls(false))),
                TlsEngine.AUTO,
                new Recording(Digest.Limits.DEFAULTS));
        SSLSocket client =
            (SSLSocket)
                TlsFixture.jdkContext(app, tls.proxyCa.certificate())
                    .getSocketFactory()
                    .createSocket("127.0.0.1", p.boundAddresses().get(0).getPort())) {
      assertThat(p.tlsWarnings())
          .containsExactlyInAnyOrder(
              p12 + " holds a secret and is readable by group and others (chmod 600 " + p12 + ")",
              password + " holds a secret and is readable by group (chmod 600 " + password + ")");
      assertThat(String.join("\n", p.tlsWarnings())).doesNotContain("s3cret-pw");
      client.getOutputStream().write(new byte[] {0, 0, 0, 0});
      assertThat(client.getInputStream().readNBytes(4)).isEqualTo(new byte[] {0, 0, 0, 0});
    }
  }

  @Test
  void unusableTlsFilesStopTheStartWithOneLineEach() throws Exception {
    TestCertificates.Files other = tls.proxyCa.issue("other").writeTo(dir, "other");
    Path p12 = tls.proxyCa.issue("proxy").writePkcs12(dir.resolve("proxy.p12"), "right");
    Path wrong = Files.writeString(dir.resolve("wrong"), "wrong\n");
    Path missing = dir.resolve("missing.pem");
    Map<ListenerTls, String> cases =
        Map.of(
            new ListenerTls(missing, tls.proxyListening.key(), null, null),
            "--tls-cert " + missing + ": no such file",
            new ListenerTls(tls.proxyListening.cert(), other.key(), null, null),
            "the private key in " + other.key() + " does not belong to its certificate",
            new ListenerTls(p12, null, wrong, null),
            "neither PEM nor a PKCS#12 keystore that opens with the password given",
            new ListenerTls(tls.proxyListening.cert(), tls.proxyListening.key(), null, missing),
            "--tls-client-ca " + missing + ": no such file");
    for (Map.Entry<ListenerTls, String> c : cases.entrySet()) {
      Route r =
          new Route(
              InetSocketAddress.createUnresolved("127.0.0.1", 0),
              InetSocketAddress.createUnresolved("127.0.0.1", 1),
              c.getKey(),
              null);
      assertThatThrownBy(
              () ->
                  start(List.of(r), TlsEngine.AUTO, new Recording(Digest.Limits.DEFAULTS)).close())
          .isInstanceOf(IOException.class)
          .hasMessageContaining(c.getValue())
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
  }
}
