package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tcpdump -w - | zkdigest replay -}: a real tcpdump writing to a real pipe, with an interval
 * report while the capture is still running and the total at its end.
 */
class ReplayStdinIT {
  /** Longer than the interval, so the capture's timestamps cross at least one boundary. */
  private static final long PAUSE_MS = 1_500;

  @TempDir Path dir;

  private static List<JsonNode> reports(Path out) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> all = new ArrayList<>();
    for (String line : Files.readAllLines(out)) {
      all.add(mapper.readTree(line));
    }
    return all;
  }

  @Test
  void reportsFromATcpdumpPipeAsItGoesAndInTotalAtItsEnd() throws Exception {
    Tcpdump.requireCapture();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Path out = dir.resolve("reports.jsonl");
      Path tcpdumpLog = dir.resolve("tcpdump.log");
      ProcessBuilder tcpdump =
          new ProcessBuilder(
                  "tcpdump",
                  "-i",
                  "lo",
                  "-U",
                  "--immediate-mode",
                  "-n",
                  "-B",
                  "65536",
                  "-Z",
                  "root",
                  "-w",
                  "-",
                  "tcp port " + zk.port())
              .redirectError(tcpdumpLog.toFile());
      ProcessBuilder zkdigest =
          Tools.zkdigest(
                  "replay", "-", "--port", "" + zk.port(), "--interval", "1s", "--format", "json")
              .redirectOutput(out.toFile())
              .redirectError(dir.resolve("zkdigest.log").toFile());
      // One OS pipe from tcpdump's standard output to zkdigest's standard input.
      List<Process> pipeline = ProcessBuilder.startPipeline(List.of(tcpdump, zkdigest));
      Process capture = pipeline.get(0);
      Process replay = pipeline.get(1);
      Workload work = new Workload();
      try {
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> Files.readString(tcpdumpLog).contains("listening on"));

        // given: a client's calls, in two halves further apart than the interval
        ZooKeeper client = Workload.connect(zk.connectString());
        work.run(client, "/stdin", 2);
        Thread.sleep(PAUSE_MS);
        client.getData("/stdin", false, null);
        work.requests.merge("getData", 1L, Long::sum);

        // then: an interval report arrives while tcpdump is still writing
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(out) > 0);
        work.close(client);
        Thread.sleep(PAUSE_MS);
      } finally {
        // tcpdump flushes and exits on SIGTERM; its end of the pipe closes, zkdigest sees EOF
        capture.destroy();
        assertThat(capture.waitFor(30, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(replay.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(replay.exitValue()).as(Files.readString(dir.resolve("zkdigest.log"))).isZero();

      List<JsonNode> reports = reports(out);
      assertThat(reports.size()).isGreaterThanOrEqualTo(2);
      for (JsonNode interval : reports.subList(0, reports.size() - 1)) {
        assertThat(interval.get("source").get("mode").asText())
            .isEqualTo("replay (interval 1s of capture time)");
      }
      JsonNode total = reports.get(reports.size() - 1);
      assertThat(total.get("source").get("mode").asText()).isEqualTo("replay");
      assertThat(total.get("source").get("inputs").get(0).asText()).isEqualTo("standard input");
      Map<String, Long> expected = new TreeMap<>(work.requests);
      expected.put("connect", 1L);
      assertThat(Replay.requests(total)).isEqualTo(expected);
      assertThat(Replay.errors(total)).isEqualTo(work.errors);
      assertThat(total.get("summary").get("decode_errors").asLong()).isZero();
    }
  }
}
