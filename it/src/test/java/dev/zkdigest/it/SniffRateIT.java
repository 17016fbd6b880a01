package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code zkdigest sniff}, with each capture engine, against {@code zkdigest replay} of the same
 * file: a real capture (Java clients under load) is replayed with tcpreplay onto a veth in a
 * namespace this test makes, and the sniffer listens on its peer. The file's packet count comes
 * from tshark.
 */
class SniffRateIT {
  @TempDir static Path shared;

  /** Moderate for any machine: a few thousand operations a second. */
  private static final int MODERATE_PPS = 10_000;

  private static Path recorded;
  private static int port;
  private static long filePackets;
  private static JsonNode replayed;

  @BeforeAll
  static void record() throws Exception {
    Root.require("a network namespace, a veth pair, capture and tcpreplay");
    Tools.require("/usr/bin/tcpreplay", "tcpreplay");
    Tools.require("/usr/bin/tshark", "tshark");
    Tcpdump.requireCapture();
    recorded = shared.resolve("load.pcap");
    // given: 4 s of 8 clients, half the mixed workload, half getData at 4,000/s in all
    port = RecordCapture.record(recorded, 4, 4_000, 8);
    filePackets =
        Root.run("tshark", "-n", "-r", recorded.toString(), "-T", "fields", "-e", "frame.number")
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("Running"))
            .count();
    replayed = Replay.json(List.of("--threads", "1", "--port", "" + port), recorded);
    assertThat(replayed.get("capture").get("packets").asLong()).isEqualTo(filePackets);
  }

  /** A namespace whose veth pair carries the largest frames loopback makes. */
  private static NetNs tap() throws Exception {
    NetNs ns = NetNs.create("r");
    Root.run("ip", "link", "set", ns.outside, "mtu", "65535");
    ns.exec("ip", "link", "set", ns.inside, "mtu", "65535");
    return ns;
  }

  private static Launched sniff(Path dir, String name, String... args) throws Exception {
    Launched p = Launched.start(dir, name, args);
    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> p.err().contains("capturing on") || !p.process().isAlive());
    assertThat(p.process().isAlive()).as(p.err()).isTrue();
    Thread.sleep(500); // the filter is attached and the capture loop runs
    return p;
  }

  /**
   * Per op what the traffic holds: requests, responses, errors by code and bytes. Not latencies:
   * tcpreplay spaces the packets by its rate, not as they were recorded.
   */
  private static Map<String, List<Object>> counts(JsonNode report) {
    Map<String, List<Object>> m = new java.util.TreeMap<>();
    report
        .get("ops")
        .fields()
        .forEachRemaining(
            e -> {
              JsonNode op = e.getValue();
              m.put(
                  e.getKey(),
                  List.of(
                      op.get("requests").asLong(),
                      op.get("responses").asLong(),
                      op.get("errors").toString(),
                      op.get("request_bytes").asLong(),
                      op.get("response_bytes").asLong()));
            });
    return m;
  }

  @ParameterizedTest(name = "--via {0}")
  @ValueSource(strings = {"libpcap", "libpcap-queue"})
  void aCaptureReplayedAtAModerateRateIsCountedExactlyAsReplayCountsIt(
      String via, @TempDir Path dir) throws Exception {
    try (NetNs tap = tap()) {
      // when: the capture is replayed onto the veth while sniff listens on its peer
      Launched sniff =
          sniff(
              dir,
              "sniff",
              "sniff",
              "-i",
              tap.outside,
              "--port",
              "" + port,
              "--via",
              via,
              "--format",
              "json");
      tap.exec("tcpreplay", "-q", "--pps=" + MODERATE_PPS, "-i", tap.inside, recorded.toString());
      Thread.sleep(500); // the last packets reach the decoder
      sniff.terminate();
      assertThat(sniff.exitCode()).as(sniff.err()).isZero();
      JsonNode sniffed = sniff.json();
      // then: every packet, no drops, and the same report as replay's
      assertThat(sniffed.get("capture").get("packets_captured").asLong()).isEqualTo(filePackets);
      assertThat(sniffed.get("capture").get("queue_drops").asLong()).isZero();
      assertThat(sniffed.get("capture").get("kernel_drops").asLong()).isZero();
      assertThat(counts(sniffed)).isEqualTo(counts(replayed));
      for (String key :
          new String[] {
            "connections",
            "sessions",
            "requests",
            "responses",
            "errors",
            "events",
            "bytes_from_clients",
            "bytes_from_servers",
            "unmatched_responses",
            "decode_errors",
            "skipped_bytes"
          }) {
        assertThat(sniffed.get("summary").get(key))
            .as(key)
            .isEqualTo(replayed.get("summary").get(key));
      }
      assertThat(replayed.get("summary").get("requests").asLong()).isGreaterThan(10_000);
    }
  }

  @ParameterizedTest(name = "--via {0}")
  @ValueSource(strings = {"libpcap", "libpcap-queue"})
  void pastCapacityDropsAreCountedAndWhatRemainsInventsNothing(String via, @TempDir Path dir)
      throws Exception {
    try (NetNs tap = tap()) {
      // given: the smallest kernel buffer and hand-off queue
      Launched sniff =
          sniff(
              dir,
              "sniff",
              "sniff",
              "-i",
              tap.outside,
              "--port",
              "" + port,
              "--via",
              via,
              "--buffer-size",
              "65536",
              "--queue-size",
              "4096",
              "--format",
              "json");
      // when: the capture comes at tcpreplay's top speed, and the sniffer stalls for a second
      // while it does (as a loaded machine would make it), so that capacity is passed anywhere
      Process replay =
          new ProcessBuilder(
                  tap.inside(
                      "tcpreplay", "-q", "--topspeed", "-i", tap.inside, recorded.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("tcpreplay.log").toFile())
              .start();
      Thread.sleep(100);
      Root.run("kill", "-STOP", Long.toString(sniff.process().pid()));
      Thread.sleep(1_000);
      Root.run("kill", "-CONT", Long.toString(sniff.process().pid()));
      assertThat(replay.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(replay.exitValue()).isZero();
      Thread.sleep(500);
      sniff.terminate();
      assertThat(sniff.exitCode()).as(sniff.err()).isZero();
      JsonNode sniffed = sniff.json();
      // then: drops are counted, and what was counted is part of what the file holds
      JsonNode capture = sniffed.get("capture");
      long drops = capture.get("queue_drops").asLong() + capture.get("kernel_drops").asLong();
      assertThat(drops).as("drops: %s", capture).isPositive();
      assertThat(capture.get("tcp_segments").asLong()).isLessThan(filePackets);
      assertThat(capture.get("tcp_segments").asLong() + drops).isLessThanOrEqualTo(filePackets);
      JsonNode all = replayed.get("ops");
      for (Iterator<Map.Entry<String, JsonNode>> it = sniffed.get("ops").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> op = it.next();
        String name = op.getKey();
        JsonNode counted = op.getValue();
        assertThat(all.has(name)).as("op %s is in the file", name).isTrue();
        JsonNode inFile = all.get(name);
        assertThat(counted.get("requests").asLong())
            .as("%s requests", name)
            .isLessThanOrEqualTo(inFile.get("requests").asLong());
        assertThat(counted.get("responses").asLong())
            .as("%s responses", name)
            .isLessThanOrEqualTo(inFile.get("responses").asLong());
        counted
            .get("errors")
            .fields()
            .forEachRemaining(
                e ->
                    assertThat(e.getValue().asLong())
                        .as("%s %s", name, e.getKey())
                        .isLessThanOrEqualTo(inFile.get("errors").path(e.getKey()).asLong()));
        // tcpreplay spaces the packets anew, so latencies differ from the file's; but a reply
        // is only ever matched to its own request, after it
        JsonNode latency = counted.get("latency_us");
        if (latency != null && latency.has("min")) {
          assertThat(latency.get("min").asDouble()).as("%s latency", name).isNotNegative();
        }
      }
      JsonNode summary = sniffed.get("summary");
      assertThat(summary.get("sessions").asLong())
          .isLessThanOrEqualTo(replayed.get("summary").get("sessions").asLong());
      assertThat(summary.get("requests").asLong()).isPositive();
      System.out.printf(
          java.util.Locale.ROOT,
          "past capacity (--via %s): %,d of %,d packets decoded, %,d dropped; %,d of %,d"
              + " requests counted%n",
          via,
          capture.get("tcp_segments").asLong(),
          filePackets,
          drops,
          summary.get("requests").asLong(),
          replayed.get("summary").get("requests").asLong());
    }
  }
}
