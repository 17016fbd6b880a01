package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.sniffer.LiveCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live capture on loopback while an embedded ZooKeeper serves real clients. */
class SniffIT {
  @TempDir Path dir;

  private LiveCapture capture(String iface, int port, Recording digest, Path write)
      throws Exception {
    Tcpdump.requireCapture();
    ServerMatcher matcher = ServerMatcher.ports(port);
    TcpTracker tracker = new TcpTracker(matcher, ProtocolConfig.DEFAULTS, digest.newRecorder());
    LiveCapture c =
        LiveCapture.start(
            new LiveCapture.Options(iface, matcher.bpf(), 262144, 8 << 20, 64L << 20, write),
            tracker);
    Thread.sleep(300); // the filter is attached; give the capture thread a moment to loop
    return c;
  }

  private void sniffWorkload(String iface, String host) throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(host)) {
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      Path written = dir.resolve("written.pcap");
      Workload work = new Workload();
      LiveCapture c = capture(iface, zk.port(), digest, written);
      ZooKeeper client = Workload.connect(zk.connectString());
      work.run(client, "/sniff", 5);
      work.close(client);
      Thread.sleep(500);
      c.close();
      Map<String, Long> expected = new TreeMap<>(work.requests);
      expected.put("connect", 1L);
      assertThat(DigestCounts.requests(digest.total())).isEqualTo(expected);
      assertThat(DigestCounts.errors(digest.total())).isEqualTo(work.errors);
      assertThat(c.stats()).containsEntry("queue_drops", 0L).containsEntry("kernel_drops", 0L);
      {
        assertThat(digest.total().decodeErrors()).isZero();
        assertThat(digest.total().sessions()).isEqualTo(1);
      }
      // --write: what was captured replays to the same counts
      JsonNode again = Replay.json(List.of("--port", "" + zk.port()), written);
      assertThat(Replay.requests(again)).isEqualTo(expected);
      assertThat(Replay.errors(again)).isEqualTo(work.errors);
    }
  }

  @Test
  void sniffsIpv4LoopbackAndWritesAReplayableCapture() throws Exception {
    sniffWorkload("lo", "127.0.0.1");
  }

  @Test
  void sniffsTheAnyPseudoInterface() throws Exception {
    sniffWorkload("any", "127.0.0.1");
  }

  @Test
  void sniffsIpv6Loopback() throws Exception {
    sniffWorkload("lo", "::1");
  }

  @Test
  void startingWhileSessionsAreOpenPicksUpTheTraffic() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      ZooKeeper client = Workload.connect(zk.connectString());
      new Workload().run(client, "/early", 2);
      Recording digest = new Recording(Digest.Limits.DEFAULTS);
      LiveCapture c = capture("lo", zk.port(), digest, null);
      Workload after = new Workload();
      after.run(client, "/late", 3);
      after.close(client);
      Thread.sleep(500);
      c.close();
      assertThat(DigestCounts.requests(digest.total())).isEqualTo(after.requests);
      assertThat(DigestCounts.errors(digest.total())).isEqualTo(after.errors);
      {
        assertThat(digest.total().unmatched()).isZero();
      }
    }
  }

  @Test
  void sniffWriteOpensInTsharkWithTheSegmentsZkdigestCounted() throws Exception {
    Tcpdump.requireCapture();
    Path tshark = Tools.require("/usr/bin/tshark", "tshark");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Path written = dir.resolve("written.pcap");
      Path report = dir.resolve("report.json");
      Path log = dir.resolve("sniff.log");
      Process sniff =
          Tools.zkdigest(
                  "sniff",
                  "-i",
                  "lo",
                  "--port",
                  "" + zk.port(),
                  "--write",
                  written.toString(),
                  "--format",
                  "json",
                  "-o",
                  report.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(60))
          .until(() -> Files.readString(log).contains("capturing on"));
      Thread.sleep(300); // the filter is attached; let the capture thread loop once
      Workload work = new Workload();
      ZooKeeper client = Workload.connect(zk.connectString());
      work.run(client, "/tshark", 3);
      work.close(client);
      Thread.sleep(500);
      sniff.destroy(); // SIGTERM: the final report, and the capture file closed
      assertThat(sniff.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(sniff.exitValue()).as(Files.readString(log)).isZero();

      JsonNode capture =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(report.toFile())
              .get("capture");
      long segments = capture.get("tcp_segments").asLong();
      assertThat(segments).isPositive();
      Process p =
          new ProcessBuilder(
                  tshark.toString(),
                  "-r",
                  written.toString(),
                  "-Y",
                  "tcp",
                  "-T",
                  "fields",
                  "-e",
                  "frame.number")
              .redirectError(dir.resolve("tshark.err").toFile())
              .start();
      List<String> frames =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .lines()
              .toList();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("tshark.err"))).isZero();
      assertThat((long) frames.size()).isEqualTo(segments);
      assertThat((long) frames.size()).isEqualTo(capture.get("packets_captured").asLong());
    }
  }

  @Test
  void unknownInterfaceAndNoPermissionGiveOneLineEach() throws Exception {
    Tcpdump.requireCapture();
    Path log = dir.resolve("sniff.log");
    Process p = LauncherIT.launch(log, "sniff", "-i", "nosuchif0", "--duration", "1s");
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(1);
    assertThat(lines(log))
        .containsExactly(
            "zkdigest: no such interface: nosuchif0 (zkdigest sniff --list shows them)");

    // As an unprivileged user, where the machine lets the test switch to one.
    // The checkout may sit where only its owner can enter (a clone in `mktemp -d`): the
    // unprivileged user runs a copy of the jar from a directory anyone can read.
    Path readable = Files.createTempDirectory("zkdigest-nobody");
    Files.setPosixFilePermissions(readable, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar =
        Files.copy(
            LauncherIT.projectRoot().resolve("cli/target/zkdigest.jar"),
            readable.resolve("zkdigest.jar"));
    Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process unpriv =
        new ProcessBuilder(
                "setpriv",
                "--reuid=nobody",
                "--regid=nogroup",
                "--clear-groups",
                "--inh-caps=-all",
                "--bounding-set=-all",
                java.toString(),
                "-jar",
                jar.toString(),
                "sniff",
                "-i",
                "lo",
                "--duration",
                "1s")
            .directory(readable.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nobody.log").toFile())
            .start();
    assertThat(unpriv.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Files.delete(jar);
    Files.delete(readable);
    List<String> out = lines(dir.resolve("nobody.log"));
    assertThat(unpriv.exitValue()).as(String.join("\n", out)).isEqualTo(1);
    assertThat(out).hasSize(1);
    assertThat(out.get(0)).startsWith("zkdigest: no permission to capture on lo: run as root");
  }

  private static List<String> lines(Path log) throws Exception {
    return Files.readAllLines(log).stream().filter(l -> !l.contains("building the jar")).toList();
  }
}
