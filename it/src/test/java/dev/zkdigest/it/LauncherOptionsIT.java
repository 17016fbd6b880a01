package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README says of the launcher and of stopping: {@code JAVA_OPTS} reaches the JVM, proxy
 * runs with C1 only and replay with the parallel collector unless {@code JAVA_OPTS} chooses, and
 * SIGINT (Ctrl-C) writes the final report like SIGTERM does.
 */
class LauncherOptionsIT {
  @TempDir Path dir;

  private Launched proxy(String name, String javaOpts, int upstream, String... more)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "proxy",
                "--listen",
                "127.0.0.1:" + Ports.free(),
                "--upstream",
                "127.0.0.1:" + upstream));
    args.addAll(List.of(more));
    Launched p = Launched.startWith(dir, name, javaOpts, args.toArray(new String[0]));
    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> p.err().contains("proxying") || !p.process().isAlive());
    return p;
  }

  @Test
  void proxyRunsWithC1UnlessJavaOptsChooses() throws Exception {
    try (Launched byDefault = proxy("default", null, 1);
        Launched chosen = proxy("chosen", "JAVA_OPTS=-Xmx96m -XX:-TieredCompilation", 1)) {
      assertThat(byDefault.commandLine()).contains("-XX:TieredStopAtLevel=1");
      assertThat(chosen.commandLine())
          .contains("-Xmx96m", "-XX:-TieredCompilation")
          .doesNotContain("-XX:TieredStopAtLevel=1");
    }
  }

  @Test
  void replayRunsWithTheParallelCollectorUnlessJavaOptsChooses() throws Exception {
    // A FIFO holds replay at its first read, long enough to read its command line.
    Path fifo = dir.resolve("capture.fifo");
    Root.run("mkfifo", fifo.toString());
    byte[] capture =
        Files.readAllBytes(Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap"));
    for (String opts : new String[] {null, "JAVA_OPTS=-XX:+UseSerialGC"}) {
      Launched replay =
          Launched.startWith(dir, "replay", opts, "replay", fifo.toString(), "--format", "json");
      await()
          .atMost(Duration.ofSeconds(180))
          .until(() -> replay.commandLine().stream().anyMatch(a -> a.endsWith("zkdigest.jar")));
      List<String> cmd = replay.commandLine();
      Files.write(fifo, capture); // opens, writes and closes: the end of the capture
      assertThat(replay.exitCode()).as(replay.err()).isZero();
      assertThat(replay.json().at("/summary/requests").asLong()).isEqualTo(13);
      if (opts == null) {
        assertThat(cmd).contains("-XX:+UseParallelGC");
      } else {
        assertThat(cmd).contains("-XX:+UseSerialGC").doesNotContain("-XX:+UseParallelGC");
      }
    }
  }

  @Test
  void aReplayOfLessThan1GiBOfFilesRunsWithC1UnlessJavaOptsChooses() throws Exception {
    // given: a small capture, and a sparse file of 1.1 GiB (not a capture: replay fails on it,
    // after the JVM has printed its flags)
    String small =
        Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap").toString();
    Path big = dir.resolve("big.pcap");
    try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(1100L << 20);
    }
    String flags = "JAVA_OPTS=-XX:+PrintFlagsFinal";
    // when
    Launched c1 = Launched.startWith(dir, "small", flags, "replay", small, "--format", "json");
    Launched chosen =
        Launched.startWith(
            dir, "chosen", flags + " -XX:+TieredCompilation", "replay", small, "--format", "json");
    Launched c2 = Launched.startWith(dir, "big", flags, "replay", big.toString());
    // then: the JVM's own account of the compiler levels it ran with
    assertThat(c1.exitCode()).as(c1.err()).isZero();
    assertThat(c1.out()).containsPattern("TieredStopAtLevel\\s+= 1\\s");
    assertThat(chosen.exitCode()).as(chosen.err()).isZero();
    assertThat(chosen.out()).containsPattern("TieredStopAtLevel\\s+= 4\\s");
    assertThat(c2.exitCode()).isEqualTo(1);
    assertThat(c2.out()).containsPattern("TieredStopAtLevel\\s+= 4\\s");
  }

  @Test
  void sigintWritesTheFinalReportAndExitsZero() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Path report = dir.resolve("report.json");
      int listen = Ports.free();
      Launched p =
          Launched.start(
              dir,
              "sigint",
              "proxy",
              "--listen",
              "127.0.0.1:" + listen,
              "--upstream",
              "127.0.0.1:" + zk.port(),
              "--format",
              "json",
              "-o",
              report.toString());
      await().atMost(Duration.ofSeconds(180)).until(() -> p.err().contains("proxying"));
      ZooKeeper c = Workload.connect("127.0.0.1:" + listen);
      for (int i = 0; i < 7; i++) {
        c.exists("/", false);
      }
      c.close();
      // when: Ctrl-C
      p.interrupt();
      // then
      assertThat(p.exitCode()).as(p.err()).isZero();
      var json = new ObjectMapper().readTree(report.toFile());
      assertThat(json.at("/ops/exists/requests").asLong()).isEqualTo(7);
      assertThat(p.err()).doesNotContain("Exception");
    }
  }
}
