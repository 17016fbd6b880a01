package dev.zkdigest.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.it.EmbeddedZooKeeper;
import dev.zkdigest.it.Workload;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Live capture under load: {@code zkdigest sniff -i lo} while ZooKeeper's Java client drives a real
 * ZooKeeper at a fixed rate; reports messages/s seen, kernel and queue drops. Run with {@code
 * benchmarks/sniff-load.sh [OPS_PER_SEC] [SECONDS] [CLIENTS]} (as root).
 */
public final class SniffLoad {
  private SniffLoad() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 25_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    Path root = Path.of(args.length > 3 ? args[3] : ".").toAbsolutePath();
    EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
    int port = zk.port();
    try (ZooKeeper setup = Workload.connect("127.0.0.1:" + port)) {
      setup.create("/load", new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }
    Path report = Files.createTempFile("sniff-load", ".json");
    Process sniff =
        new ProcessBuilder(
                root.resolve("zkdigest").toString(),
                "sniff",
                "-i",
                "lo",
                "--port",
                "" + port,
                "--format",
                "json",
                "--output",
                report.toString())
            .redirectErrorStream(true)
            .redirectOutput(new File("/tmp/zkdigest-sniff-load.log"))
            .start();
    for (int i = 0;
        i < 600
            && !Files.readString(Path.of("/tmp/zkdigest-sniff-load.log")).contains("capturing on");
        i++) {
      Thread.sleep(100);
    }
    ProxyLoad.Measured m = ProxyLoad.run("127.0.0.1:" + port, clients, rate, seconds, null);
    Thread.sleep(1000);
    sniff.destroy();
    sniff.waitFor(60, TimeUnit.SECONDS);
    zk.close();
    JsonNode r = new ObjectMapper().readTree(report.toFile());
    JsonNode s = r.get("summary");
    long messages = s.get("requests").asLong() + s.get("responses").asLong();
    System.out.printf(
        Locale.ROOT,
        "offered %d ops/s, achieved %.0f ops/s (%.0f messages/s) for %ds%n"
            + "sniff saw %d requests, %d responses, decode errors %d, unmatched %d%n"
            + "capture: %s%n",
        rate,
        m.opsPerSec(),
        2 * m.opsPerSec(),
        seconds,
        s.get("requests").asLong(),
        s.get("responses").asLong(),
        s.get("decode_errors").asLong(),
        s.get("unmatched_responses").asLong(),
        r.get("capture"));
    System.out.printf(Locale.ROOT, "messages seen: %d%n", messages);
  }
}
