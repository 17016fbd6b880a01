package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Certificates reloaded on SIGHUP by the launcher-started proxy, while clients keep working. */
class TlsReloadIT {
  /** Load threads stop at this many operations each, whatever happens. */
  private static final int MAX_OPS_PER_CLIENT = 100_000;

  private static final int CLIENTS = 4;

  @TempDir Path dir;

  /** Replaces {@code target} with {@code written} at once, as a deployment tool would. */
  private static void replace(Path written, Path target) throws Exception {
    Files.move(
        written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void sighupReloadsTheCertificateUnderLoadWithoutDroppingAConnection() throws Exception {
    TlsFixture tls = new TlsFixture(dir);
    TestCertificates.Issued app = tls.clientsCa.issue("app-1");
    TestCertificates.Files served = tls.proxyCa.issue("proxy before").writeTo(dir, "served");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.startSecure("127.0.0.1", tls.zookeeperTls())) {
      int listen = Ports.free();
      int metrics = Ports.free();
      Path report = dir.resolve("report.json");
      Path log = dir.resolve("proxy.log");
      Process proxy =
          LauncherIT.launch(
              log,
              "proxy",
              "--listen",
              "127.0.0.1:" + listen,
              "--upstream",
              "127.0.0.1:" + zk.port(),
              "--tls-cert",
              served.cert().toString(),
              "--tls-key",
              served.key().toString(),
              "--tls-client-ca",
              tls.clientsCaPem.toString(),
              "--upstream-tls",
              "--upstream-ca",
              tls.zookeeperCaPem.toString(),
              "--upstream-cert",
              tls.proxyToZooKeeper.cert().toString(),
              "--upstream-key",
              tls.proxyToZooKeeper.key().toString(),
              "--metrics",
              "127.0.0.1:" + metrics,
              "--format",
              "json",
              "--output",
              report.toString());
      List<ZooKeeper> clients = new ArrayList<>();
      List<Thread> load = new ArrayList<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong done = new AtomicLong();
      AtomicLong failed = new AtomicLong();
      AtomicInteger disconnects = new AtomicInteger();
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () -> {
                  try (Socket s = new Socket("127.0.0.1", metrics)) {
                    return Files.readString(log).contains("SIGHUP reloads");
                  }
                });
        String via = "127.0.0.1:" + listen;
        // given: clients over TLS, busy
        for (int i = 0; i < CLIENTS; i++) {
          ZooKeeper c = Workload.connect(via, tls.clientConfig(app));
          c.register(
              e -> {
                if (e.getState() == Watcher.Event.KeeperState.Disconnected) {
                  disconnects.incrementAndGet();
                }
              });
          clients.add(c);
        }
        long[] sessions = clients.stream().mapToLong(ZooKeeper::getSessionId).toArray();
        clients
            .get(0)
            .create("/r", new byte[8], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (ZooKeeper c : clients) {
          Thread t =
              new Thread(
                  () -> {
                    for (int n = 0; n < MAX_OPS_PER_CLIENT && !stop.get(); n++) {
                      try {
                        c.getData("/r", false, null);
                        done.incrementAndGet();
                      } catch (Exception e) {
                        failed.incrementAndGet();
                      }
                    }
                  });
          t.start();
          load.add(t);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= 200);
        // when: the certificate files are replaced, then SIGHUP
        TestCertificates.Issued next = tls.proxyCa.issue("proxy after");
        TestCertificates.Files written = next.writeTo(dir, "next");
        replace(written.key(), served.key());
        replace(written.cert(), served.cert());
        long before = done.get();
        Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(proxy.pid())).start();
        assertThat(hup.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(hup.exitValue()).isZero();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.readString(log).contains("TLS certificates reloaded for"));
        // then: a new connection is served the new certificate...
        try (SSLSocket probe =
            (SSLSocket)
                TlsFixture.jdkContext(app, tls.proxyCa.certificate())
                    .getSocketFactory()
                    .createSocket("127.0.0.1", listen)) {
          probe.startHandshake();
          X509Certificate shown = (X509Certificate) probe.getSession().getPeerCertificates()[0];
          assertThat(shown.getSubjectX500Principal().getName()).isEqualTo(next.subject());
        }
        // ...and a new ZooKeeper client works through it
        try (ZooKeeper late = Workload.connect(via, tls.clientConfig(app))) {
          assertThat(late.exists("/r", false)).isNotNull();
        }
        // while the busy clients kept going on their connections
        await().atMost(Duration.ofSeconds(30)).until(() -> done.get() >= before + 200);
        stop.set(true);
        for (Thread t : load) {
          t.join(30_000);
        }
        assertThat(failed.get()).isZero();
        assertThat(disconnects.get()).isZero();
        assertThat(clients.stream().mapToLong(ZooKeeper::getSessionId).toArray())
            .containsExactly(sessions);
        Map<String, Double> m = LauncherIT.scrape(metrics);
        // the busy clients, the probe and the late client: no connection was made again
        assertThat(m).containsEntry("zkdigest_proxy_connections_accepted_total", CLIENTS + 2.0);
        assertThat(m).containsEntry("zkdigest_proxy_tls_reloads_total", 1.0);
        // no client's handshake failed (failures are labelled by side and reason, no sample when
        // none); the probe closes at once, which may cut its upstream handshake short
        assertThat(m.keySet())
            .noneMatch(k -> k.startsWith("zkdigest_proxy_tls_failures_total{side=\"client\""));
        for (ZooKeeper c : clients) {
          c.close();
        }
        clients.clear();
        proxy.destroy();
        assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.exitValue()).as(Files.readString(log)).isZero();
      } finally {
        stop.set(true);
        for (ZooKeeper c : clients) {
          c.close();
        }
        proxy.destroyForcibly();
      }
      // and the report counts every getData the clients made, across the reload
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      assertThat(json.get("ops").get("getData").get("requests").asLong()).isEqualTo(done.get());
      assertThat(json.get("capture").get("proxy_tls_reloads").asLong()).isEqualTo(1);
      assertThat(Files.readString(log)).doesNotContain("Exception").doesNotContain("PRIVATE KEY");
    }
  }
}
