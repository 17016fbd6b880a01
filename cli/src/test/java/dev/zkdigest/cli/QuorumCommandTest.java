package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.capture.QuorumMatcher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The quorum flags and report sections, as a user meets them. */
class QuorumCommandTest {
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

  private static final String OMNI = MainTest.shared("omni.pcap").toString();

  @Test
  void jsonGainsAQuorumSectionBesideTheClientReport() throws Exception {
    Result r =
        run(
            "replay",
            OMNI,
            "--format",
            "json",
            "--quorum-port",
            "2780,2781,2782",
            "--election-port",
            "2783,2784,2785");
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertThat(report.get("ops").get("create").get("requests").asLong()).isEqualTo(1);
    JsonNode q = report.get("quorum");
    assertThat(q.get("elections")).hasSize(2);
    assertThat(q.get("elections").get(0).get("leader").asLong()).isEqualTo(2);
    assertThat(q.get("proposals").get("create").asLong()).isEqualTo(1);
    for (String field : new String[] {"min", "p50", "p95", "p99", "p999", "max", "mean", "sum"}) {
      assertThat(q.get("commit_latency_us").get("1").has(field)).as(field).isTrue();
      assertThat(q.get("ack_latency_us").get("3").has(field)).as(field).isTrue();
    }
    assertThat(q.get("syncs")).hasSize(2);
  }

  @Test
  void textGainsAQuorumSectionOnlyWhenThereIsQuorumTraffic() {
    Result omni = run("replay", OMNI, "--election-port", "2783,2784,2785", "--quorum-port", "2781");
    assertThat(omni.out()).contains("# Quorum", "# Elections", "# Syncs");
    Result client = run("replay", MainTest.shared("dump.pcap").toString());
    assertThat(client.out()).doesNotContain("# Quorum");
    // JSON always has the key, so machines need not guess.
    Result json = run("replay", MainTest.shared("dump.pcap").toString(), "--format", "json");
    assertThat(json.out()).contains("\"quorum\":{");
  }

  @Test
  void theEnsembleFileNamesServersAndTheirPorts() throws Exception {
    Path cfg =
        Files.writeString(
            dir.resolve("zoo.cfg"),
            "tickTime=2000\n"
                + "server.1=localhost:2780:2783\n"
                + "server.2=localhost:2781:2784\n"
                + "server.3=localhost:2782:2785\n");
    Result r = run("replay", OMNI, "--format", "json", "--ensemble", cfg.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode q = new ObjectMapper().readTree(r.out()).get("quorum");
    assertThat(q.get("elections")).hasSize(2);
    assertThat(q.get("decode_errors").asLong()).isZero();
  }

  @Test
  void aDynamicConfigFileIsFollowed() throws Exception {
    Files.writeString(dir.resolve("zoo.cfg.dynamic"), "server.7=10.0.0.7:2888:3888;2181\n");
    Path cfg = Files.writeString(dir.resolve("zoo.cfg"), "dynamicConfigFile=zoo.cfg.dynamic\n");
    Ensemble e = Ensemble.read(cfg);
    assertThat(e.identities().resolve("10.0.0.7:3888")).isEqualTo(7);
    assertThat(e.endpoints()).hasSize(2);
  }

  @Test
  void badQuorumFlagsAreOneLineUsageErrors() throws Exception {
    Result missing = run("replay", OMNI, "--ensemble", dir.resolve("none.cfg").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err().lines()).hasSize(1);
    assertThat(missing.err()).contains("cannot read --ensemble").doesNotContain("Exception:");
    Path empty = Files.writeString(dir.resolve("empty.cfg"), "tickTime=2000\n");
    Result noServers = run("replay", OMNI, "--ensemble", empty.toString());
    assertThat(noServers.code()).isEqualTo(2);
    assertThat(noServers.err()).contains("lists no server.N= lines");
    Result port = run("replay", OMNI, "--quorum-port", "70000");
    assertThat(port.code()).isEqualTo(2);
    assertThat(port.err().lines()).hasSize(1);
    assertThat(port.err()).contains("--quorum-port 70000 is out of range");
  }

  @Test
  void sniffWidensTheClientFilterToTheQuorumPorts() {
    QuorumMatcher m = new QuorumMatcher(Set.of(2888), Set.of(3888), Map.of());
    assertThat(SniffCommand.withQuorum("tcp and (port 2181)", m))
        .isEqualTo("tcp and (port 2181 or port 2888 or port 3888)");
  }
}
