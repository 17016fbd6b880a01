package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --budget} on a replayed reference capture whose counts the captures' README established
 * independently (dump.pcap: 3 ping, 5 exists, 1 create, 2 getChildren, 1 getData, 1 setData).
 */
class BudgetCommandTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path budget(String text) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "budget", ".txt"), text);
  }

  private static final String HOLDS =
      """
      # dump.pcap, as the captures' README counts it
      calls  *       == 13
      calls  exists  == 5
      calls  getChildren <= 2
      errors *:OK    == 0   # never: OK is not an error code
      """;

  @Test
  void aBudgetThatHoldsExitsZeroAndListsEveryRule() throws Exception {
    Path b =
        budget(
            """
            calls  *        == 13   # every request of dump.pcap
            calls  exists   == 5
            calls  create   <= 1
            calls  getData  >= 1
            finding herd    == 0
            """);
    Result r = run("replay", MainTest.shared("dump.pcap").toString(), "--budget", b.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("# Budget " + b + ": all 5 rules hold");
    assertThat(r.out()).contains("#    2 ok                 5  calls  exists   == 5");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void aBrokenRuleExitsThreeNamingTheRuleAndItsMeasuredValue() throws Exception {
    Path b = budget("calls exists <= 4\ncalls * <= 100\n");
    Result r = run("replay", MainTest.shared("dump.pcap").toString(), "--budget", b.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.out())
        .contains("# Budget " + b + ": 1 of 2 rules broken")
        .contains("#    1 BROKEN             5  calls exists <= 4")
        .contains("#    2 ok                13  calls * <= 100");
  }

  @Test
  void jsonCarriesABudgetSectionAndTheVerdictGoesToStandardError() throws Exception {
    Path b = budget("calls exists <= 4\n");
    Path report = dir.resolve("r.json");
    Result r =
        run(
            "replay",
            MainTest.shared("dump.pcap").toString(),
            "--budget",
            b.toString(),
            "--format",
            "json",
            "-o",
            report.toString());
    assertThat(r.code()).isEqualTo(3);
    JsonNode budget = new ObjectMapper().readTree(report.toFile()).get("budget");
    assertThat(budget.get("passed").asBoolean()).isFalse();
    JsonNode rule = budget.get("rules").get(0);
    assertThat(rule.get("measured").asLong()).isEqualTo(5);
    assertThat(rule.get("limit").asLong()).isEqualTo(4);
    assertThat(rule.get("verdict").asText()).isEqualTo("broken");
    assertThat(r.err()).contains("#    1 BROKEN             5  calls exists <= 4");
  }

  @Test
  void aMalformedBudgetIsOneLineAndExitTwoBeforeAnyTrafficIsRead() throws Exception {
    Path b = budget(HOLDS);
    // The capture does not exist: the budget's error comes first, so it was checked first.
    Result r = run("replay", dir.resolve("missing.pcap").toString(), "--budget", b.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines())
        .containsExactly(
            "zkdigest: "
                + b
                + ":5: unknown error code 'OK': expected ZooKeeper's name of a code, e.g."
                + " NONODE, NODEEXISTS, BADVERSION");
    Result missing =
        run(
            "replay",
            MainTest.shared("dump.pcap").toString(),
            "--budget",
            dir.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().lines())
        .containsExactly("zkdigest: " + dir.resolve("nope") + ": no such file");
  }

  @Test
  void theProxyChecksItsBudgetBeforeListening() throws Exception {
    Path b = budget("calls getdata <= 5\n");
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    Result r =
        run(
            "proxy",
            "--listen",
            "127.0.0.1:" + port,
            "--upstream",
            "127.0.0.1:1",
            "--budget",
            b.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines())
        .containsExactly("zkdigest: " + b + ":1: unknown op 'getdata': did you mean getData?");
  }
}
