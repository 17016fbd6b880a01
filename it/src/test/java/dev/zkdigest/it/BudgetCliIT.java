package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --budget} as CI runs it: the runnable jar as its own process, exit codes 0 and 3 on a
 * kazoo client's traffic through the proxy (expected counts: what the client says it did) and on a
 * replayed reference capture (counts: the captures' README), 2 and one line for a bad file.
 */
class BudgetCliIT {
  private static final int NODES = 5;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  /**
   * Debian's python3, where python3-kazoo installs (a python3 earlier on the PATH, pyenv's, may
   * lack it).
   */
  private static final String PYTHON = "/usr/bin/python3";

  /** python3 with kazoo: CI installs python3-kazoo (.ci/run); elsewhere the test is skipped. */
  private static void requireKazoo() throws Exception {
    boolean ok;
    try {
      ok = new ProcessBuilder(PYTHON, "-c", "import kazoo").start().waitFor() == 0;
    } catch (IOException e) {
      ok = false;
    }
    if (System.getenv("CI") != null) {
      assertThat(ok).as("CI installs python3-kazoo").isTrue();
    }
    Assumptions.assumeTrue(ok, "python3-kazoo is needed: apt-get install python3-kazoo");
  }

  private record Run(int code, String out, String err, JsonNode clientDid) {}

  /** The proxy with a budget, the kazoo workload through it, then SIGTERM for the verdict. */
  private Run proxyWithBudget(String budget) throws Exception {
    requireKazoo();
    Path rules = Files.writeString(dir.resolve("budget.txt"), budget);
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      int port = Ports.free();
      Process proxy =
          Tools.zkdigest(
                  "proxy",
                  "--listen",
                  "127.0.0.1:" + port,
                  "--upstream",
                  "127.0.0.1:" + zk.port(),
                  "--threads",
                  "1",
                  "--budget",
                  rules.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      try {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.readString(err).contains("proxying") && System.nanoTime() < deadline) {
          assertThat(proxy.isAlive()).as("proxy running; %s", Files.readString(err)).isTrue();
          Thread.sleep(50);
        }
        Path script = Path.of("src/test/resources/BudgetCliIT/kazoo_workload.py");
        Process kazoo =
            new ProcessBuilder(PYTHON, script.toString(), "127.0.0.1:" + port, "/kz", "" + NODES)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String did = new String(kazoo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kazoo.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(kazoo.exitValue()).as("kazoo workload").isZero();
        proxy.destroy(); // SIGTERM: the final report and the verdict
        assertThat(proxy.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Run(
            proxy.exitValue(),
            Files.readString(out),
            Files.readString(err),
            new ObjectMapper().readTree(did));
      } finally {
        proxy.destroyForcibly();
      }
    }
  }

  private static String rules(JsonNode did) {
    // The limits are what the client says it did, so they hold exactly.
    return "calls create /kz/** == "
        + did.get("create").asLong()
        + "\ncalls getData /kz/* == "
        + did.get("getData").asLong()
        + "\nerrors exists:NONODE == "
        + did.get("exists:NONODE").asLong()
        + "\ncalls getChildren /kz == "
        + did.get("getChildren").asLong()
        + "\ncalls delete /kz/** <= "
        + did.get("delete").asLong()
        + "\nfinding herd == 0\n";
  }

  /** What the script does with NODES nodes, by its own source; checked against its record. */
  private static final String CLIENT_DOES =
      "{\"create\": "
          + (NODES + 1)
          + ", \"getData\": "
          + NODES
          + ", \"exists\": "
          + NODES
          + ", \"exists:NONODE\": "
          + NODES
          + ", \"getChildren\": 1, \"delete\": "
          + (NODES + 1)
          + "}";

  @Test
  void aBudgetThatHoldsThroughTheProxyExitsZero() throws Exception {
    JsonNode expected = new ObjectMapper().readTree(CLIENT_DOES);
    Run r = proxyWithBudget(rules(expected));
    assertThat(r.clientDid()).isEqualTo(expected);
    assertThat(r.code()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isZero();
    assertThat(r.out()).contains(": all 6 rules hold");
  }

  @Test
  void aBrokenRuleThroughTheProxyExitsThreeWithItsMeasuredValue() throws Exception {
    Run r = proxyWithBudget("calls * <= 10000\ncalls getData /kz/* <= " + (NODES - 1) + "\n");
    assertThat(r.clientDid().get("getData").asLong()).isEqualTo(NODES);
    assertThat(r.code()).as("stdout: %s%nstderr: %s", r.out(), r.err()).isEqualTo(3);
    assertThat(r.out())
        .contains(": 1 of 2 rules broken")
        .containsPattern("#    2 BROKEN +" + NODES + "  calls getData /kz/\\* <= " + (NODES - 1));
  }

  @Test
  void replayOfAReferenceCaptureExitsZeroOrThree() throws Exception {
    Path capture =
        Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap").normalize();
    // dump.pcap holds 5 exists, 2 getChildren, 1 create, 1 getData, 1 setData, 3 ping
    Path holds = Files.writeString(dir.resolve("holds.txt"), "calls exists == 5\ncalls * == 13\n");
    Path broken = Files.writeString(dir.resolve("broken.txt"), "calls getChildren <= 1\n");
    for (var c : List.of(List.of(holds, 0), List.of(broken, 3))) {
      Process p =
          Tools.zkdigest("replay", capture.toString(), "--budget", c.get(0).toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(output).isEqualTo(c.get(1));
    }
  }

  @Test
  void aMalformedBudgetIsOneLineAndExitTwo() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.txt"), "calls * <= 100\np99 getData <= 20\n");
    Process p =
        Tools.zkdigest(
                "proxy",
                "--listen",
                "127.0.0.1:" + Ports.free(),
                "--upstream",
                "127.0.0.1:1",
                "--budget",
                bad.toString())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).isEmpty();
    assertThat(err.lines())
        .containsExactly(
            "zkdigest: " + bad + ":2: a response time needs a unit: us, ms or s, got '20'");
  }
}
