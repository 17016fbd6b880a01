package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real traffic from ZooKeeper's Java client to an embedded ZooKeeper, recorded by tcpdump on
 * loopback and replayed: the report's counts per opcode and per error must equal what the client
 * did.
 */
class ReplayIT {
  @TempDir Path dir;

  private record Run(Workload work, JsonNode report, int port) {}

  private Run recordAndReplay(String host, String iface, int snaplen) throws Exception {
    Tcpdump.requireCapture();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(host)) {
      Path pcap = dir.resolve("capture.pcap");
      Workload work = new Workload();
      try (Tcpdump ignored = Tcpdump.start(pcap, iface, snaplen, "tcp port " + zk.port())) {
        ZooKeeper client = Workload.connect(zk.connectString());
        work.run(client, "/it", 5);
        work.close(client);
        work.runCurator(zk.connectString(), "/curator");
      }
      JsonNode report = Replay.json(java.util.List.of("--port", "" + zk.port()), pcap);
      return new Run(work, report, zk.port());
    }
  }

  private static Map<String, Long> withConnect(Map<String, Long> m) {
    Map<String, Long> out = new TreeMap<>(m);
    out.merge("connect", 1L, Long::sum); // the Java client's; Curator's is counted by runCurator
    return out;
  }

  private static void assertMatches(Run run) {
    assertThat(Replay.requests(run.report()))
        .as("report %s %s", run.report().get("summary"), run.report().get("capture"))
        .isEqualTo(withConnect(run.work().requests));
    assertThat(Replay.errors(run.report())).isEqualTo(run.work().errors);
    assertThat(Replay.nested(run.report().get("multi_sub_results")))
        .isEqualTo(run.work().multiSubResults);
    JsonNode s = run.report().get("summary");
    assertThat(s.get("decode_errors").asLong()).isZero();
    assertThat(s.get("unmatched_responses").asLong()).isZero();
    assertThat(s.get("sessions").asLong()).isEqualTo(2);
    assertThat(s.get("connections").asLong()).isEqualTo(2);
  }

  @Test
  void ipv4LoopbackCaptureCountsEveryRequestAndError() throws Exception {
    Run run = recordAndReplay("127.0.0.1", "lo", 262144);
    assertMatches(run);
    JsonNode s = run.report().get("summary");
    assertThat(s.get("responses").asLong()).isEqualTo(s.get("requests").asLong());
    assertThat(run.report().get("ops").get("getData").get("latency_us").get("max").asLong())
        .isPositive();
  }

  @Test
  void ipv6LoopbackCapture() throws Exception {
    assertMatches(recordAndReplay("::1", "lo", 262144));
  }

  @Test
  void linuxCookedCaptureFromAnyInterface() throws Exception {
    assertMatches(recordAndReplay("127.0.0.1", "any", 262144));
  }

  @Test
  void snaplen120StillCountsEveryRequest() throws Exception {
    Run run = recordAndReplay("127.0.0.1", "lo", 120);
    assertThat(Replay.requests(run.report())).isEqualTo(withConnect(run.work().requests));
    assertThat(Replay.errors(run.report())).isEqualTo(run.work().errors);
    assertThat(run.report().get("summary").get("decode_errors").asLong())
        .as("%s", run.report().get("decode_error_reasons"))
        .isZero();
  }

  @Test
  void pcapngFromEditcapGivesTheSameReport() throws Exception {
    Run run = recordAndReplay("127.0.0.1", "lo", 262144);
    Path pcap = dir.resolve("capture.pcap");
    Path ng = dir.resolve("capture.pcapng");
    boolean haveEditcap = Files.isExecutable(Path.of("/usr/bin/editcap"));
    if (System.getenv("CI") != null) {
      assertThat(haveEditcap).as("editcap (tshark) installed by .ci/run").isTrue();
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(haveEditcap, "editcap needed");
    Process p =
        new ProcessBuilder("editcap", "-F", "pcapng", pcap.toString(), ng.toString())
            .inheritIO()
            .start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    JsonNode again = Replay.json(java.util.List.of("--port", "" + run.port()), ng);
    assertThat(Replay.requests(again)).isEqualTo(Replay.requests(run.report()));
    assertThat(again.get("summary")).isEqualTo(run.report().get("summary"));
  }

  @Test
  void captureStartedMidSessionCountsWhatFollows() throws Exception {
    Tcpdump.requireCapture();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      ZooKeeper client = Workload.connect(zk.connectString());
      new Workload().run(client, "/before", 3);
      Path pcap = dir.resolve("mid.pcap");
      Workload after = new Workload();
      try (Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + zk.port())) {
        after.run(client, "/after", 4);
        after.close(client);
      }
      JsonNode report = Replay.json(java.util.List.of("--port", "" + zk.port()), pcap);
      assertThat(Replay.requests(report)).isEqualTo(after.requests);
      assertThat(Replay.errors(report)).isEqualTo(after.errors);
      JsonNode s = report.get("summary");
      assertThat(s.get("sessions").asLong()).isZero(); // the handshake was before the capture
      assertThat(s.get("unmatched_responses").asLong()).isZero();
      assertThat(s.get("decode_errors").asLong()).isZero();
    }
  }

  @Test
  void severalFilesReplayAsOneTimeline() throws Exception {
    Tcpdump.requireCapture();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Map<String, Long> expected = new HashMap<>();
      Path[] files = new Path[2];
      for (int i = 0; i < 2; i++) {
        files[i] = dir.resolve("part" + i + ".pcap");
        Workload w = new Workload();
        try (Tcpdump ignored = Tcpdump.start(files[i], "lo", 262144, "tcp port " + zk.port())) {
          ZooKeeper client = Workload.connect(zk.connectString());
          w.run(client, "/part" + i, 2);
          w.close(client);
        }
        w.requests.forEach((k, v) -> expected.merge(k, v, Long::sum));
        expected.merge("connect", 1L, Long::sum);
      }
      JsonNode report =
          Replay.json(java.util.List.of("--port", "" + zk.port()), files[1], files[0]);
      assertThat(Replay.requests(report)).isEqualTo(new TreeMap<>(expected));
      assertThat(report.get("summary").get("connections").asLong()).isEqualTo(2);
      assertThat(report.get("source").get("inputs")).hasSize(2);
    }
  }
}
