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
import java.util.List;
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
        // Exit 1 is a scrape promtool cannot parse; 3 is lint problems (a counter without
        // _total, a missing HELP...): neither is acceptable.
        assertThat(check.exitValue()).as("promtool check metrics:\n" + problems).isZero();
        // and: the series named in README and used by the dashboard and the alerts are there
        String body = Files.readString(scrape);
        for (String name :
            List.of(
                "zkdigest_unanswered_requests_total",
                "zkdigest_ignored_flows_total",
                "zkdigest_open_connections",
                "zkdigest_sessions",
                "zkdigest_proxy_connections_accepted_total",
                "zkdigest_proxy_connections_open")) {
          assertThat(body).contains("\n" + name);
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
