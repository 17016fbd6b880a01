package dev.zkdigest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the alerting rules in ops/: well-formed, and every query refers only to
 * the metric names zkdigest exposes (metric-names.txt, the renderer's contract). The rules' own
 * unit tests run under promtool.
 */
class OpsConfigTest {
  private static final Path DASHBOARD = Path.of("ops/grafana/zkdigest.json");
  private static final Path RULES = Path.of("ops/prometheus/zkdigest-alerts.yml");
  private static final Path RULE_TESTS = Path.of("ops/prometheus/zkdigest-alerts.test.yml");
  private static final String PROMTOOL = "/usr/bin/promtool";
  private static final Pattern RULE_EXPR =
      Pattern.compile("^\\s+expr: (\\|\\n((?:\\s{10,}.*\\n)+)|(.*)\\n)", Pattern.MULTILINE);

  static Path root() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("ops"))) {
      p = p.getParent();
    }
    assertThat(p).as("project root with ops/").isNotNull();
    return p;
  }

  /** The exposed names, each histogram expanded into its three series. */
  static Set<String> exposedNames() throws IOException {
    Set<String> names = new TreeSet<>();
    try (InputStream in =
        OpsConfigTest.class.getResourceAsStream("/OpsConfigTest/metric-names.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] words = line.strip().split("\\s+");
        if (words[0].isEmpty() || words[0].startsWith("#")) {
          continue;
        }
        if (words.length > 1 && words[1].equals("histogram")) {
          names.add(words[0] + "_bucket");
          names.add(words[0] + "_sum");
          names.add(words[0] + "_count");
        } else {
          names.add(words[0]);
        }
      }
    }
    return names;
  }

  @Test
  void findsMetricNamesInPromQl() {
    assertThat(
            PromQl.metricNames(
                "histogram_quantile(0.99, sum by (op, le) (rate(zkdigest_latency_seconds_bucket"
                    + "{instance=~\"$instance\",op=\"get\"}[$__rate_interval]))) / on (op)"
                    + " zkdigest_requests_total > 1e3 and up offset 5m"))
        .containsExactly("up", "zkdigest_latency_seconds_bucket", "zkdigest_requests_total");
  }

  @Test
  void dashboardIsWellFormedAndQueriesOnlyExposedMetrics() throws Exception {
    JsonNode dash = new ObjectMapper().readTree(root().resolve(DASHBOARD).toFile());
    Set<String> exposed = exposedNames();
    Set<Integer> ids = new HashSet<>();
    Set<String> used = new TreeSet<>();
    List<String> panelTypes = new ArrayList<>();
    assertThat(dash.get("title").asText()).isEqualTo("zkdigest");
    for (JsonNode panel : dash.get("panels")) {
      String title = panel.get("title").asText();
      assertThat(ids.add(panel.get("id").asInt())).as("unique id of " + title).isTrue();
      assertThat(panel.get("gridPos").get("w").asInt()).as(title).isBetween(1, 24);
      assertThat(panel.get("targets")).as(title).isNotEmpty();
      panelTypes.add(panel.get("type").asText() + ": " + title);
      for (JsonNode target : panel.get("targets")) {
        Set<String> names = PromQl.metricNames(target.get("expr").asText());
        assertThat(names).as(title).isNotEmpty();
        assertThat(exposed).as(title + ": " + target.get("expr").asText()).containsAll(names);
        used.addAll(names);
      }
    }
    for (JsonNode variable : dash.get("templating").get("list")) {
      JsonNode query = variable.get("query");
      if (query != null && query.isObject()) {
        String q = query.get("query").asText().replaceAll("label_values\\((.*),\\s*\\w+\\)", "$1");
        assertThat(exposed).as(variable.get("name").asText()).containsAll(PromQl.metricNames(q));
      }
    }
    // what issue #16 asks the dashboard to show
    assertThat(used)
        .contains(
            "zkdigest_requests_total",
            "zkdigest_errors_total",
            "zkdigest_latency_seconds_bucket",
            "zkdigest_open_connections",
            "zkdigest_sessions",
            "zkdigest_decode_errors_total",
            "zkdigest_capture_dropped_packets_total",
            "zkdigest_agent_dropped_bytes_total");
    assertThat(panelTypes).contains("heatmap: Latency of $op");
  }

  @Test
  void alertingRulesQueryOnlyExposedMetrics() throws Exception {
    String rules = Files.readString(root().resolve(RULES));
    Set<String> exposed = exposedNames();
    List<String> exprs = new ArrayList<>();
    Matcher m = RULE_EXPR.matcher(rules);
    while (m.find()) {
      exprs.add(m.group(2) != null ? m.group(2) : m.group(3));
    }
    assertThat(exprs).hasSize(4);
    for (String expr : exprs) {
      Set<String> names = PromQl.metricNames(expr);
      assertThat(names).as(expr).isNotEmpty();
      assertThat(exposed).as(expr).containsAll(names);
    }
  }

  @Test
  void alertingRulesPassTheirPromtoolTests() throws Exception {
    boolean installed = Files.isExecutable(Path.of(PROMTOOL));
    if (System.getenv("CI") != null) {
      assertThat(installed).as("CI installs Debian's prometheus package (promtool)").isTrue();
    }
    Assumptions.assumeTrue(installed, "promtool (apt-get install prometheus) runs the rule tests");
    Path dir = root().resolve(RULES).getParent();
    for (List<String> cmd :
        List.of(
            List.of(PROMTOOL, "check", "rules", RULES.getFileName().toString()),
            List.of(PROMTOOL, "test", "rules", RULE_TESTS.getFileName().toString()))) {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + out).isZero();
    }
  }
}
