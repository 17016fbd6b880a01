package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A capture rotated by tcpdump ({@code -C 1}: a new file every megabyte) while a second tcpdump
 * records the same traffic into one file: replayed as its set of files, in the shell's order (part,
 * part1, part10, ..., part2), it must count what the clients did and what the one file counts, with
 * the sessions that span file boundaries matched throughout.
 */
class RotatedReplayIT {
  @TempDir Path dir;

  /** getData of a 20 KB znode, pipelined: about 16 MB of replies, so 16 files or so. */
  private static final int BIG_READS = 800;

  private static final int BIG_DATA = 20_000;

  private static final int WINDOW = 32;

  /** The summary's counts, without its times. */
  private static Map<String, Long> counts(JsonNode summary) {
    Map<String, Long> m = new TreeMap<>();
    summary
        .fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isIntegralNumber() && !e.getKey().endsWith("_ns")) {
                m.put(e.getKey(), e.getValue().asLong());
              }
            });
    return m;
  }

  @Test
  void rotatedSetInShellOrderCountsAsTheClientsAndTheWholeCapture() throws Exception {
    Tcpdump.requireCapture();
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      // given: one session's traffic, recorded whole and rotated at the same time
      Path whole = dir.resolve("whole.pcap");
      Path rotated = Files.createDirectory(dir.resolve("rotated"));
      String filter = "tcp port " + zk.port();
      Workload work = new Workload();
      try (Tcpdump a = Tcpdump.start(whole, "lo", 262144, filter);
          Tcpdump b =
              Tcpdump.start(rotated.resolve("part"), "lo", 262144, filter, List.of("-C", "1"))) {
        ZooKeeper client = Workload.connect(zk.connectString());
        work.run(client, "/it", 3);
        client.create(
            "/big", new byte[BIG_DATA], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        work.requests.merge("create", 1L, Long::sum);
        Semaphore window = new Semaphore(WINDOW);
        for (int i = 0; i < BIG_READS; i++) {
          window.acquire();
          client.getData("/big", false, (rc, path, ctx, data, stat) -> window.release(), null);
        }
        assertThat(window.tryAcquire(WINDOW, 30, TimeUnit.SECONDS)).isTrue();
        work.requests.merge("getData", (long) BIG_READS, Long::sum);
        work.run(client, "/after", 2);
        work.close(client);
      }
      List<Path> parts;
      try (Stream<Path> s = Files.list(rotated)) {
        parts = s.sorted().toList(); // the shell's order: part, part1, part10, ..., part2
      }
      assertThat(parts).as("tcpdump -C 1 rotated the capture").hasSizeGreaterThan(10);
      assertThat(parts.get(2).getFileName().toString()).isEqualTo("part10");

      // when
      List<String> port = List.of("--port", "" + zk.port());
      JsonNode fromParts = Replay.json(port, parts.toArray(new Path[0]));
      JsonNode fromWhole = Replay.json(port, whole);

      // then: what the client did, nothing unmatched at the file boundaries
      Map<String, Long> expected = new TreeMap<>(work.requests);
      expected.merge("connect", 1L, Long::sum);
      assertThat(Replay.requests(fromParts)).isEqualTo(expected);
      assertThat(Replay.errors(fromParts)).isEqualTo(work.errors);
      JsonNode s = fromParts.get("summary");
      assertThat(s.get("unmatched_responses").asLong()).isZero();
      assertThat(s.get("pending_requests").asLong()).isZero();
      assertThat(s.get("decode_errors").asLong()).isZero();
      assertThat(s.get("sessions").asLong()).isEqualTo(1);
      assertThat(s.get("connections").asLong()).isEqualTo(1);
      // and what the unrotated capture of the same traffic counts; the two tcpdumps stamp the
      // same packets a few microseconds apart, so times are left out
      assertThat(Replay.requests(fromWhole)).isEqualTo(expected);
      assertThat(Replay.errors(fromWhole)).isEqualTo(work.errors);
      assertThat(counts(s)).isEqualTo(counts(fromWhole.get("summary")));
      assertThat(fromParts.get("source").get("inputs")).hasSize(parts.size());
    }
  }
}
