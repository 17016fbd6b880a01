package dev.zkdigest.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.it.EmbeddedZooKeeper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent never hurts the application: a full hand-off, an output that cannot be written, a
 * metrics port already taken and a bad argument each cost one line on standard error, and the
 * application does all it set out to do. Also the live outputs: metrics, interval reports, show.
 */
class AgentRobustnessIT {
  static EmbeddedZooKeeper zk;

  @TempDir Path dir;

  @BeforeAll
  static void server() throws Exception {
    zk = EmbeddedZooKeeper.start("127.0.0.1");
  }

  @AfterAll
  static void stop() throws Exception {
    zk.close();
  }

  private Jvm workload(String agentArgs, Path record, int rounds, String kind) throws Exception {
    return Jvm.start(
        dir,
        "app",
        Jvm.agent(agentArgs),
        Jvm.zookeeperClasspath("3.9.5"),
        ClientWorkload.class.getName(),
        "127.0.0.1:" + zk.port(),
        "-",
        record.toString(),
        String.valueOf(rounds),
        kind);
  }

  @Test
  void keepsTheApplicationWorkingWhenTheHandOffOverflows() throws Exception {
    // given a hand-off far smaller than the application's writes
    Path report = dir.resolve("report.json");
    Path record = dir.resolve("record.txt");
    int rounds = 5;
    try (Jvm app = workload("buffer=64k,format=json,output=" + report, record, rounds, "big")) {
      // then the application does all it set out to do
      assertThat(app.await(Duration.ofMinutes(2))).as(app.stderr()).isZero();
    }
    Map<String, Long> did = AgentReport.record(record);
    assertThat(did)
        .containsEntry("big setData", (long) rounds)
        .containsEntry("big exists", (long) rounds);
    // and the agent counted what it dropped, and resynchronised after each loss
    AgentReport r = AgentReport.read(report);
    assertThat(r.capture("agent_dropped_bytes"))
        .isGreaterThanOrEqualTo((long) rounds * ClientWorkload.BIG);
    assertThat(r.json().path("ops").path("exists").path("requests").asLong()).isEqualTo(rounds);
    assertThat(r.json().path("ops").path("exists").path("responses").asLong()).isEqualTo(rounds);
    assertThat(r.summary("skipped_bytes")).isGreaterThan(0);
  }

  @Test
  void keepsTheApplicationWorkingWhenTheReportCannotBeWritten() throws Exception {
    Path record = dir.resolve("record.txt");
    try (Jvm app = workload("output=" + dir.resolve("no/such/dir/report.json"), record, 2, "nio")) {
      assertThat(app.await(Duration.ofMinutes(2))).as(app.stderr()).isZero();
      assertThat(app.agentLines())
          .anyMatch(l -> l.contains("cannot be written"))
          .anyMatch(l -> l.contains("cannot write the report"));
      assertNoStackTraceOfOurs(app);
    }
    assertThat(AgentReport.record(record)).containsEntry("nio closeSession", 1L);
  }

  @Test
  void keepsTheApplicationWorkingWhenTheMetricsPortIsTaken() throws Exception {
    Path report = dir.resolve("report.json");
    Path record = dir.resolve("record.txt");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Jvm app =
            workload(
                "format=json,output=" + report + ",metrics=127.0.0.1:" + taken.getLocalPort(),
                record,
                2,
                "nio")) {
      assertThat(app.await(Duration.ofMinutes(2))).as(app.stderr()).isZero();
      assertThat(app.agentLines()).anyMatch(l -> l.contains("going on without metrics"));
      assertNoStackTraceOfOurs(app);
    }
    assertThat(AgentClientIT.withoutPings(AgentReport.read(report).opsAndErrors()))
        .isEqualTo(AgentReport.byOp(AgentReport.record(record)));
  }

  @Test
  void staysInertOnABadArgument() throws Exception {
    Path report = dir.resolve("report.json");
    Path record = dir.resolve("record.txt");
    try (Jvm app = workload("output=" + report + ",buffer=lots", record, 2, "nio")) {
      assertThat(app.await(Duration.ofMinutes(2))).as(app.stderr()).isZero();
      assertThat(app.agentLines()).hasSize(1).allMatch(l -> l.contains("bad argument"));
      assertNoStackTraceOfOurs(app);
    }
    assertThat(report).doesNotExist();
    assertThat(AgentReport.record(record)).containsEntry("nio closeSession", 1L);
  }

  @Test
  void servesMetricsWritesIntervalReportsAndShowLines() throws Exception {
    Path report = dir.resolve("report.json");
    Path live = dir.resolve("live.txt");
    try (Jvm app =
        workload(
            "metrics=127.0.0.1:0,interval=1s,show,summary,format=json,output="
                + report
                + ",live-output="
                + live,
            dir.resolve("unused"),
            0,
            "stdin")) {
      await().atMost(Duration.ofMinutes(1)).until(() -> app.stdout().contains("ready"));
      app.send("20");
      await().atMost(Duration.ofMinutes(1)).until(() -> app.stdout().contains("done 20"));
      Matcher m =
          Pattern.compile("metrics at (http://\\S+/metrics)")
              .matcher(String.join("\n", app.agentLines()));
      assertThat(m.find()).as(app.stderr()).isTrue();
      HttpResponse<String> scrape =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(scrape.body())
          .contains("zkdigest_requests_total{op=\"getData\"} 20")
          .contains("zkdigest_agent_dropped_bytes_total 0");
      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> Files.exists(live) && Files.readString(live).contains("agent (last 1s)"));
      assertThat(Files.readString(live)).contains("getData /attach-" + app.pid());
      app.closeInput();
      assertThat(app.await(Duration.ofMinutes(1))).as(app.stderr()).isZero();
    }
    assertThat(
            AgentReport.read(report).json().path("ops").path("getData").path("requests").asLong())
        .isEqualTo(20);
  }

  private static void assertNoStackTraceOfOurs(Jvm app) {
    List<String> ours = app.stderr().lines().filter(l -> l.contains("dev.zkdigest")).toList();
    assertThat(ours).isEmpty();
  }
}
