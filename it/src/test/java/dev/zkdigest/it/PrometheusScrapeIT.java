package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real scrape: Debian's Prometheus scrapes {@code zkdigest proxy --metrics} while a ZooKeeper
 * client works through the proxy, and the series come back through Prometheus' HTTP API with the
 * counts the client made. promtool checks the exposition format of a scrape.
 */
class PrometheusScrapeIT {
  private static final int GETS = 7;
  private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);

  /**
   * The proxy's own counters, which today's renderer prints as gauges without help text (promtool
   * says so); the renderer being rewritten exposes them under the names of issue #16
   * (zkdigest_proxy_connections_accepted_total, ...). Empty this set when it lands.
   */
  private static final java.util.Set<String> AWAITING_RENDERER =
      java.util.Set.of(
          "zkdigest_proxy_analysis_stopped",
          "zkdigest_proxy_connections_accepted",
          "zkdigest_proxy_connections_open",
          "zkdigest_proxy_resets",
          "zkdigest_proxy_upstream_failures");

  @TempDir Path dir;

  private final HttpClient http = HttpClient.newHttpClient();

  private String get(String url) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
    return r.body();
  }

  /** The value of an instant query's only series, or -1 while Prometheus has none. */
  private double query(int prometheusPort, String promql) throws Exception {
    JsonNode r =
        new ObjectMapper()
            .readTree(
                get(
                    "http://127.0.0.1:"
                        + prometheusPort
                        + "/api/v1/query?query="
                        + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
    assertThat(r.get("status").asText()).isEqualTo("success");
    JsonNode result = r.get("data").get("result");
    if (result.isEmpty()) {
      return -1;
    }
    assertThat(result).as(promql).hasSize(1);
    return result.get(0).get("value").get(1).asDouble();
  }

  @Test
  void prometheusScrapesTheProxyAndQueriesTheClientsCallsBack() throws Exception {
    Path prometheus = Tools.require("/usr/bin/prometheus", "prometheus");
    Path promtool = Tools.require("/usr/bin/promtool", "prometheus");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      int listen = Ports.free();
      int metrics = Ports.free();
      int web = Ports.free();
      Path proxyLog = dir.resolve("proxy.log");
      Process proxy =
          Tools.zkdigest(
                  "proxy",
                  "--listen",
                  "127.0.0.1:" + listen,
                  "--upstream",
                  "127.0.0.1:" + zk.port(),
                  "--metrics",
                  "127.0.0.1:" + metrics)
              .redirectErrorStream(true)
              .redirectOutput(proxyLog.toFile())
              .start();
      Process prom = null;
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .ignoreExceptions()
            .until(() -> Files.readString(proxyLog).contains("proxying"));

        // given: a client that creates one node and reads it GETS times through the proxy
        ZooKeeper client = Workload.connect("127.0.0.1:" + listen);
        client.create("/scraped", new byte[3], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        for (int i = 0; i < GETS; i++) {
          client.getData("/scraped", false, null);
        }
        client.close();

        // when: Prometheus scrapes the proxy
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(
            config,
            "global:\n  scrape_interval: "
                + SCRAPE_INTERVAL.toSeconds()
                + "s\nscrape_configs:\n  - job_name: zkdigest\n    static_configs:\n"
                + "      - targets: ['127.0.0.1:"
                + metrics
                + "']\n");
        prom =
            new ProcessBuilder(
                    prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + web)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();

        // then: the series come back with what the client did
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> query(web, "zkdigest_requests_total{op=\"getData\"}") == GETS);
        assertThat(query(web, "zkdigest_requests_total{op=\"create\"}")).isEqualTo(1);
        assertThat(query(web, "zkdigest_responses_total{op=\"getData\"}")).isEqualTo(GETS);
        assertThat(query(web, "zkdigest_latency_seconds_count{op=\"getData\"}")).isEqualTo(GETS);
        assertThat(query(web, "zkdigest_latency_seconds_bucket{op=\"getData\",le=\"+Inf\"}"))
            .isEqualTo(GETS);
        assertThat(query(web, "sum(zkdigest_errors_total)")).isLessThanOrEqualTo(0);
        assertThat(query(web, "up{job=\"zkdigest\"}")).isEqualTo(1);

        // and: a scrape passes promtool's exposition check
        Path scrape = dir.resolve("scrape.txt");
        Files.writeString(scrape, get("http://127.0.0.1:" + metrics + "/metrics"));
        Process check =
            new ProcessBuilder(promtool.toString(), "check", "metrics")
                .redirectInput(scrape.toFile())
                .redirectErrorStream(true)
                .start();
        String problems = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        // Exit 1 is a scrape promtool cannot parse; 3 is lint problems, each naming its metric.
        assertThat(check.exitValue()).as("promtool check metrics:\n" + problems).isIn(0, 3);
        for (String problem : problems.lines().toList()) {
          assertThat(AWAITING_RENDERER)
              .as("promtool check metrics: " + problem)
              .contains(problem.split(" ", 2)[0]);
        }
      } finally {
        if (prom != null) {
          prom.destroy();
          prom.waitFor(30, TimeUnit.SECONDS);
        }
        proxy.destroy();
        proxy.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }
}
