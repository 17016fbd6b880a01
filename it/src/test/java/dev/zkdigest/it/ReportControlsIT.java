package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pt-query-digest's controls on a real capture: {@code --filter} by op and by error code, {@code
 * --since} as an offset from the capture's start, counted against what the client did.
 */
class ReportControlsIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void filtersAndATimeWindowKeepExactlyTheMatchingRequests() throws Exception {
    // given: 20 reads and 10 reads of a missing znode, a pause, then 15 more reads
    Tcpdump.requireCapture();
    Path pcap = dir.resolve("controls.pcap");
    int early = 20;
    int misses = 10;
    int late = 15;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + zk.port())) {
      ZooKeeper c = Workload.connect(zk.connectString());
      c.create("/c", new byte[1], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < early; i++) {
        c.getData("/c", false, null);
      }
      for (int i = 0; i < misses; i++) {
        try {
          c.getData("/missing", false, null);
        } catch (KeeperException.NoNodeException expected) {
          // counted below
        }
      }
      Thread.sleep(3_000);
      for (int i = 0; i < late; i++) {
        c.getData("/c", false, null);
      }
      c.close();
    }
    // when
    JsonNode reads = replay(pcap, "--filter", "op=getData");
    JsonNode failed = replay(pcap, "--filter", "error=NONODE");
    JsonNode lateReads = replay(pcap, "--filter", "op=getData", "--since", "2.5s");
    JsonNode onlyC = replay(pcap, "--filter", "path=/c", "--filter", "op=getData,exists");
    // then
    assertThat(reads.get("summary").get("requests").asLong()).isEqualTo(early + misses + late);
    assertThat(reads.get("ops").size()).isEqualTo(1);
    assertThat(failed.get("summary").get("requests").asLong()).isEqualTo(misses);
    assertThat(failed.get("summary").get("errors").asLong()).isEqualTo(misses);
    assertThat(lateReads.get("summary").get("requests").asLong()).isEqualTo(late);
    assertThat(onlyC.get("summary").get("requests").asLong()).isEqualTo(early + late);
    // and per class: the slowest request, and no reply slower than an hour
    JsonNode all = replay(pcap, "--slow", "1h");
    JsonNode getData = null;
    for (JsonNode c : all.get("classes")) {
      if (c.get("op").asText().equals("getData") && c.get("pattern").asText().equals("/c")) {
        getData = c;
      }
    }
    assertThat(getData).isNotNull();
    assertThat(getData.get("slow").asLong()).isZero();
    assertThat(getData.get("slowest").get("client").asText()).isEqualTo("127.0.0.1");
    assertThat(getData.get("qps").asDouble()).isPositive();
    // and the text profile ranked by calls, one row and the rest
    Path text = Files.createTempFile("zkdigest-it", ".txt");
    assertThat(
            Main.run(
                "replay",
                "-o",
                text.toString(),
                "--order-by",
                "calls",
                "--limit",
                "1",
                pcap.toString()))
        .isZero();
    String report = Files.readString(text);
    assertThat(report).contains("#    1 ").doesNotContain("#    2 ").contains("# MISC");
    assertThat(report.substring(report.indexOf("#    1 ")))
        .startsWith("#    1 ")
        .contains("getData /c\n");
    Files.delete(text);
  }

  @Test
  void aBadFilterIsAOneLineUsageError() throws Exception {
    Path empty = dir.resolve("none.pcap");
    Files.write(empty, new byte[0]);
    assertThat(Main.run("replay", "--filter", "colour=blue", empty.toString())).isEqualTo(2);
    assertThat(Main.run("replay", "--since", "yesterday", empty.toString())).isEqualTo(2);
    assertThat(Main.run("replay", "--threshold", "herd.size=3", empty.toString())).isEqualTo(2);
  }

  private static JsonNode replay(Path pcap, String... extra) throws Exception {
    Path out = Files.createTempFile("zkdigest-it", ".json");
    List<String> args =
        new ArrayList<>(List.of("replay", "--format", "json", "-o", out.toString()));
    args.addAll(List.of(extra));
    args.add(pcap.toString());
    assertThat(Main.run(args.toArray(new String[0]))).as("exit code of %s", args).isZero();
    JsonNode n = JSON.readTree(Files.readString(out));
    Files.delete(out);
    return n;
  }
}
