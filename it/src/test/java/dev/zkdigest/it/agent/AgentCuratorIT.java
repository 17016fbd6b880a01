package dev.zkdigest.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.it.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Curator application started with {@code -javaagent}: the agent's counts per operation and per
 * error equal what the application did. The application runs on this module's class path (ZooKeeper
 * 3.9, Netty 4.2, Curator, HdrHistogram and zkdigest's own unshaded modules), so it also shows the
 * agent's relocated copies do not meet the application's.
 */
class AgentCuratorIT {
  @TempDir Path dir;

  @Test
  void countsWhatACuratorApplicationDid() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Path report = dir.resolve("report.json");
      Path record = dir.resolve("record.txt");
      try (Jvm app =
          Jvm.start(
              dir,
              "curator",
              Jvm.agent("output=" + report + ",format=json"),
              Jvm.ownClasspath(),
              CuratorWorkload.class.getName(),
              "127.0.0.1:" + zk.port(),
              record.toString(),
              "6")) {
        assertThat(app.await(Duration.ofMinutes(2))).as(app.stderr()).isZero();
      }
      Map<String, Long> did = AgentReport.record(record);
      AgentReport r = AgentReport.read(report);
      assertThat(AgentClientIT.withoutPings(r.opsAndErrors())).isEqualTo(AgentReport.byOp(did));
      assertThat(r.summary("responses")).isEqualTo(r.summary("requests"));
      assertThat(r.summary("decode_errors")).isZero();
      assertThat(r.summary("unmatched_responses")).isZero();
    }
  }
}
