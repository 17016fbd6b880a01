package dev.zkdigest.it.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.zkdigest.it.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zkdigest attach PID} on a running ZooKeeper client (through the real zkdigest.jar): the
 * report covers exactly what the client did while attached, is written when the duration ends, and
 * the client and its session go on after the agent detached; a second attach works as well.
 */
class AgentAttachIT {
  @TempDir Path dir;

  @Test
  void attachesForTheDurationThenDetachesAndTheApplicationGoesOn() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        Jvm app =
            Jvm.start(
                dir,
                "app",
                List.of(),
                Jvm.zookeeperClasspath("3.9.5"),
                ClientWorkload.class.getName(),
                "127.0.0.1:" + zk.port(),
                "-",
                "-",
                "0",
                "stdin")) {
      await().atMost(Duration.ofMinutes(1)).until(() -> app.stdout().contains("ready"));
      int[][] rounds = {{100, 50}, {70, 30}};
      for (int round = 0; round < rounds.length; round++) {
        int whileAttached = rounds[round][0];
        int afterwards = rounds[round][1];
        Path report = dir.resolve("report" + round + ".json");
        // when zkdigest attaches for a few seconds
        Process attach =
            new ProcessBuilder(
                    Jvm.JAVA,
                    "-jar",
                    System.getProperty("zkdigest.jar", "../cli/target/zkdigest.jar"),
                    "attach",
                    String.valueOf(app.pid()),
                    "--duration",
                    "4s",
                    "--format",
                    "json",
                    "-o",
                    report.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("attach" + round + ".out").toFile())
                .start();
        int attached = round + 1;
        await()
            .atMost(Duration.ofMinutes(1))
            .until(
                () ->
                    app.agentLines().stream().filter(l -> l.contains("tapping")).count()
                        == attached);
        // and the application makes calls while attached
        app.send(String.valueOf(whileAttached));
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> app.stdout().contains("done " + whileAttached));
        assertThat(attach.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(attach.exitValue()).isZero();

        // then the report counts exactly those calls
        AgentReport r = AgentReport.read(report);
        assertThat(r.json().path("ops").path("getData").path("requests").asLong())
            .isEqualTo(whileAttached);
        assertThat(r.json().path("ops").path("getData").path("responses").asLong())
            .isEqualTo(whileAttached);
        assertThat(r.summary("decode_errors")).isZero();
        assertThat(app.agentLines()).anyMatch(l -> l.contains("detached"));

        // and the application goes on without the agent
        app.send(String.valueOf(afterwards));
        await()
            .atMost(Duration.ofMinutes(1))
            .until(() -> app.stdout().contains("done " + afterwards));
      }
      app.closeInput();
      assertThat(app.await(Duration.ofMinutes(1))).as(app.stderr()).isZero();
    }
  }
}
