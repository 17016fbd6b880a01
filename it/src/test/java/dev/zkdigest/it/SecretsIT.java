package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Credentials never leave the process (SECURITY.md), in every mode: a real DIGEST-MD5 SASL login to
 * ZooKeeper (JAAS configuration written here) and a digest {@code auth}, through {@code zkdigest
 * proxy} and under {@code zkdigest sniff}, with TRACE logging on. Every byte of their output, logs,
 * reports and metrics, and of replay's, is searched for the password and for the SASL tokens' own
 * values, which are taken from a tcpdump capture of the same traffic (not from our decoder). The
 * password is also stored as znode data, which is never printed either.
 */
class SecretsIT {
  @TempDir Path dir;

  private static final String USER = "bob";

  private static final String FIPS_MODE = "zookeeper.fips-mode";

  /** Everything a run of zkdigest wrote, by where it came from. */
  private final Map<String, byte[]> outputs = new LinkedHashMap<>();

  private void keep(String what, byte[] bytes) {
    outputs.put(what, bytes);
  }

  private void keep(Launched p, String name) throws Exception {
    keep(name + " stdout", p.outBytes());
    keep(name + " stderr", p.err().getBytes(StandardCharsets.UTF_8));
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** A ZooKeeper client that logs in with SASL DIGEST-MD5 from the JAAS section "Client". */
  private static ZooKeeper saslClient(String connect) throws Exception {
    ZKClientConfig config = new ZKClientConfig();
    config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
    config.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, "Client");
    config.setProperty(FIPS_MODE, "false"); // ZooKeeper 3.9's FIPS mode refuses DIGEST-MD5
    CountDownLatch authenticated = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            connect,
            30_000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SaslAuthenticated) {
                authenticated.countDown();
              }
            },
            config);
    assertThat(authenticated.await(30, TimeUnit.SECONDS)).as("SASL login via " + connect).isTrue();
    return zk;
  }

  /** Both kinds of credentials on one connection, then some ordinary requests. */
  private static void useCredentials(String connect, String password, String root)
      throws Exception {
    try (ZooKeeper zk = saslClient(connect)) {
      zk.addAuthInfo("digest", (USER + ":" + password).getBytes(StandardCharsets.UTF_8));
      // The password as znode data too: no znode data is ever printed either.
      zk.create(root, password.getBytes(), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      assertThat(zk.getData(root, false, null)).isEqualTo(password.getBytes());
      zk.exists(root + "/nothing", false);
    }
  }

  @Test
  void noSecretInAnyOutputOfProxySniffOrReplay() throws Exception {
    Tcpdump.requireCapture();
    String password = "pw-" + randomHex(12);
    // given: a ZooKeeper that accepts SASL DIGEST-MD5 logins, its JAAS configuration made here
    Path jaas = dir.resolve("jaas.conf");
    Files.writeString(
        jaas,
        "Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
            + "  user_"
            + USER
            + "=\""
            + password
            + "\";\n};\n"
            + "Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
            + "  username=\""
            + USER
            + "\"\n  password=\""
            + password
            + "\";\n};\n");
    String previous = System.getProperty("java.security.auth.login.config");
    System.setProperty("java.security.auth.login.config", jaas.toString());
    System.setProperty(FIPS_MODE, "false"); // for the server; the clients set it in their config
    Configuration.setConfiguration(null); // read again, from the file above
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      int listen = Ports.free();
      int proxyMetrics = Ports.free();
      int sniffMetrics = Ports.free();
      Path pcap = dir.resolve("traffic.pcap");
      Path proxyReport = dir.resolve("proxy.json");
      Path sniffReport = dir.resolve("sniff.json");
      String trace = "JAVA_OPTS=-Dorg.slf4j.simpleLogger.defaultLogLevel=trace";
      Launched proxy;
      Launched sniff;
      try (Tcpdump ignored =
          Tcpdump.start(pcap, "lo", 262144, "tcp port " + zk.port() + " or tcp port " + listen)) {
        // when: zkdigest proxy and zkdigest sniff run, with every output they have
        proxy =
            Launched.startWith(
                dir,
                "proxy",
                trace,
                "proxy",
                "--listen",
                "127.0.0.1:" + listen,
                "--upstream",
                "127.0.0.1:" + zk.port(),
                "--show",
                "--debug",
                "--metrics",
                "127.0.0.1:" + proxyMetrics,
                "--format",
                "json",
                "--output",
                proxyReport.toString());
        sniff =
            Launched.startWith(
                dir,
                "sniff",
                trace,
                "sniff",
                "-i",
                "lo",
                "--port",
                "" + zk.port(),
                "--show",
                "--debug",
                "--metrics",
                "127.0.0.1:" + sniffMetrics,
                "--output",
                sniffReport.toString());
        for (Launched p : List.of(proxy, sniff)) {
          await()
              .atMost(Duration.ofSeconds(180))
              .until(() -> p.err().contains("proxying") || p.err().contains("capturing on"));
        }
        // ...while clients log in through the proxy, and straight to the server (sniffed)
        useCredentials("127.0.0.1:" + listen, password, "/via-proxy");
        useCredentials(zk.connectString(), password, "/direct");
        Thread.sleep(500);
        keep("proxy metrics", scrape(proxyMetrics));
        keep("sniff metrics", scrape(sniffMetrics));
        for (Launched p : List.of(proxy, sniff)) {
          p.terminate();
          assertThat(p.exitCode()).as(p.err()).isZero();
        }
      }
      keep(proxy, "proxy");
      keep(sniff, "sniff");
      keep("proxy report", Files.readAllBytes(proxyReport));
      keep("sniff report", Files.readAllBytes(sniffReport));
      // ...and replay reads the capture, in every format
      for (String[] args :
          new String[][] {
            {"--show", "--debug", "--summary"},
            {"--format", "json", "--group-by", "session"},
            {"--group-by", "client"}
          }) {
        List<String> all =
            new ArrayList<>(List.of("replay", pcap.toString(), "--port", "" + zk.port()));
        all.addAll(List.of(args));
        Launched replay = Launched.startWith(dir, "replay", trace, all.toArray(new String[0]));
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        keep(replay, "replay " + String.join(" ", args));
      }
      // then: the secrets were on the wire (so the search below could find them)...
      Set<String> secrets = secretsOnTheWire(Files.readAllBytes(pcap), password);
      // ...and appear in nothing zkdigest wrote
      for (var out : outputs.entrySet()) {
        String text = new String(out.getValue(), StandardCharsets.ISO_8859_1);
        for (String secret : secrets) {
          assertThat(text)
              .as("%s must not contain %s", out.getKey(), secret)
              .doesNotContain(secret);
        }
      }
      // The outputs are not empty: the requests were seen and counted in each of them.
      assertThat(new String(outputs.get("proxy report"), StandardCharsets.UTF_8))
          .contains("\"sasl\"");
      assertThat(new String(outputs.get("sniff stdout"), StandardCharsets.UTF_8))
          .contains("sasl token=<redacted", "auth scheme=digest credentials=<redacted");
    } finally {
      System.clearProperty(FIPS_MODE);
      if (previous == null) {
        System.clearProperty("java.security.auth.login.config");
      } else {
        System.setProperty("java.security.auth.login.config", previous);
      }
      Configuration.setConfiguration(null);
    }
  }

  /**
   * The password, the digest credentials and the values in the DIGEST-MD5 tokens (RFC 2831: the
   * server's nonce, the client's cnonce and response, the server's rspauth), found in the raw bytes
   * of the capture; each must be there.
   */
  private static Set<String> secretsOnTheWire(byte[] pcap, String password) {
    String wire = new String(pcap, StandardCharsets.ISO_8859_1);
    Set<String> secrets = new LinkedHashSet<>();
    secrets.add(password);
    secrets.add(USER + ":" + password);
    assertThat(wire).as("the digest auth is in the capture").contains(USER + ":" + password);
    Map<String, Pattern> fields = new LinkedHashMap<>();
    fields.put("nonce", Pattern.compile("[^c]nonce=\"([^\"]+)\""));
    fields.put("cnonce", Pattern.compile("cnonce=\"([^\"]+)\""));
    fields.put("response", Pattern.compile("[^p]response=([0-9a-f]{32})"));
    fields.put("rspauth", Pattern.compile("rspauth=([0-9a-f]{32})"));
    for (var f : fields.entrySet()) {
      Matcher m = f.getValue().matcher(wire);
      int found = 0;
      while (m.find()) {
        secrets.add(m.group(1));
        found++;
      }
      // Two logins (through the proxy and direct), each seen once, the proxied one twice.
      assertThat(found)
          .as("DIGEST-MD5 %s values in the capture", f.getKey())
          .isGreaterThanOrEqualTo(2);
    }
    return secrets;
  }

  private static byte[] scrape(int port) throws Exception {
    HttpResponse<byte[]> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }
}
