package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code ./zkdigest} launcher as a separate process, as a user runs it. */
class LauncherIT {
  @TempDir Path dir;

  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isExecutable(p.resolve("zkdigest"))) {
      p = p.getParent();
    }
    assertThat(p).as("project root with the zkdigest launcher").isNotNull();
    return p;
  }

  static Process launch(Path log, String... args) throws IOException {
    Path root = projectRoot();
    List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("zkdigest").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  static Map<String, Double> scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    Map<String, Double> samples = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int sp = line.lastIndexOf(' ');
      samples.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
    }
    return samples;
  }

  @Test
  void proxyWritesItsFinalReportOnSigtermAndServesMetrics() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      int listen = Ports.free();
      int metrics = Ports.free();
      Path report = dir.resolve("report.json");
      Path log = dir.resolve("proxy.log");
      Process proxy =
          launch(
              log,
              "proxy",
              "--listen",
              "127.0.0.1:" + listen,
              "--upstream",
              "127.0.0.1:" + zk.port(),
              "--metrics",
              "127.0.0.1:" + metrics,
              "--format",
              "json",
              "--output",
              report.toString());
      try {
        await()
            .atMost(Duration.ofSeconds(120))
            .ignoreExceptions()
            .until(
                () -> {
                  try (Socket s = new Socket("127.0.0.1", metrics)) {
                    return Files.readString(log).contains("proxying");
                  }
                });
        // given: real client traffic through the proxy process
        ZooKeeper client = Workload.connect("127.0.0.1:" + listen);
        client.create("/l", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < 25; i++) {
          client.getData("/l", false, null);
        }
        for (int i = 0; i < 4; i++) {
          try {
            client.getData("/missing", false, null);
          } catch (KeeperException.NoNodeException expected) {
            // counted as NONODE
          }
        }
        client.close();
        // then: metrics agree while it runs
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  Map<String, Double> m = scrape(metrics);
                  assertThat(m).containsEntry("zkdigest_requests_total{op=\"getData\"}", 29.0);
                  assertThat(m)
                      .containsEntry("zkdigest_errors_total{op=\"getData\",code=\"NONODE\"}", 4.0);
                  assertThat(m)
                      .containsEntry("zkdigest_latency_seconds_count{op=\"getData\"}", 29.0);
                  assertThat(m).containsEntry("zkdigest_open_connections", 0.0);
                });
        // when: SIGTERM
        proxy.destroy();
        assertThat(proxy.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(proxy.exitValue()).as(Files.readString(log)).isZero();
      } finally {
        proxy.destroyForcibly();
      }
      // then: the final report is there, whole
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      assertThat(json.get("source").get("mode").asText()).isEqualTo("proxy");
      assertThat(json.get("ops").get("getData").get("requests").asLong()).isEqualTo(29);
      assertThat(json.get("ops").get("getData").get("errors").get("NONODE").asLong()).isEqualTo(4);
      assertThat(json.get("ops").get("create").get("requests").asLong()).isEqualTo(1);
      assertThat(json.get("summary").get("sessions").asLong()).isEqualTo(1);
      assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain("Exception");
    }
  }

  @Test
  void intervalReportsThenTheTotalAtTheEndOfDuration() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      int listen = Ports.free();
      Path log = dir.resolve("interval.log");
      Process proxy =
          launch(
              log,
              "proxy",
              "--listen",
              "127.0.0.1:" + listen,
              "--upstream",
              "127.0.0.1:" + zk.port(),
              "--interval",
              "1s",
              "--duration",
              // Room for a loaded machine: the client below needs a few seconds once connected.
              "12s");
      await()
          .atMost(Duration.ofSeconds(120))
          .ignoreExceptions()
          .until(() -> Files.readString(log).contains("proxying"));
      ZooKeeper client = Workload.connect("127.0.0.1:" + listen);
      for (int i = 0; i < 10; i++) {
        client.exists("/", false);
        Thread.sleep(200);
      }
      client.close();
      assertThat(proxy.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(proxy.exitValue()).isZero();
      String out = Files.readString(log);
      assertThat(out.split("proxy \\(last 1s\\)", -1).length - 1).isGreaterThanOrEqualTo(3);
      // The final report is the running total: all ten exists in one class.
      int last = out.lastIndexOf("# zkdigest ");
      assertThat(out.substring(last))
          .startsWith("# zkdigest " + dev.zkdigest.protocol.BuildInfo.version() + ": proxy of")
          .contains("exists /");
      assertThat(out.substring(last)).containsPattern("\\s10\\s+\\S+\\s+\\S+\\s+0\\s+exists /");
    }
  }

  @Test
  void portInUseGivesOneLineAndExitCodeOne() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      Path log = dir.resolve("busy.log");
      Process p =
          launch(
              log,
              "proxy",
              "--listen",
              "127.0.0.1:" + taken.getLocalPort(),
              "--upstream",
              "127.0.0.1:2181");
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(1);
      List<String> lines =
          Files.readAllLines(log).stream().filter(l -> !l.contains("building the jar")).toList();
      assertThat(lines)
          .containsExactly(
              "zkdigest: cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": address already in use");
    }
  }
}
