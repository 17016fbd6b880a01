package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code zkdigest sniff} from the command line, as root on {@code lo}, with real ZooKeeper traffic:
 * each option does what the README says. Expected counts are what the clients did ({@link
 * Workload}); the report is read as JSON.
 */
class SniffCliIT {
  @TempDir Path dir;

  @BeforeEach
  void needsCapture() {
    Tcpdump.requireCapture();
  }

  /** {@code zkdigest sniff ARGS}, once it is capturing. */
  private Launched sniff(String name, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("sniff"));
    all.addAll(List.of(args));
    Launched p = Launched.start(dir, name, all.toArray(new String[0]));
    await()
        .atMost(Duration.ofSeconds(180))
        .until(() -> p.err().contains("capturing on") || !p.process().isAlive());
    assertThat(p.process().isAlive()).as(p.err()).isTrue();
    return p;
  }

  /** SIGTERM, then the final report. */
  private static void stop(Launched p) throws Exception {
    Thread.sleep(500); // the last packets reach the capture
    p.terminate();
    assertThat(p.exitCode()).as(p.err()).isZero();
  }

  /** One client's mixed workload against {@code zk}, counted by the client. */
  private static Workload traffic(EmbeddedZooKeeper zk, String root) throws Exception {
    Workload w = new Workload();
    ZooKeeper c = Workload.connect(zk.connectString());
    w.run(c, root, 3);
    w.close(c);
    return w;
  }

  private static Map<String, Long> withConnect(Workload w) {
    Map<String, Long> m = new TreeMap<>(w.requests);
    m.merge("connect", 1L, Long::sum);
    return m;
  }

  @Test
  void filterBuiltFromPortOrServersKeepsOnlyThatServersTraffic() throws Exception {
    try (EmbeddedZooKeeper a = EmbeddedZooKeeper.start("127.0.0.1");
        EmbeddedZooKeeper b = EmbeddedZooKeeper.start("127.0.0.1")) {
      // --port: a ZooKeeper on another port is not even captured (its handshakes would otherwise
      // be recognised as ZooKeeper on an unknown port and counted); the default quorum and
      // election ports stay in the filter for the quorum digest
      Launched byPort = sniff("port", "-i", "lo", "--port", "" + a.port(), "--format", "json");
      Workload onA = traffic(a, "/a");
      traffic(b, "/b");
      stop(byPort);
      JsonNode json = byPort.json();
      assertThat(Replay.requests(json)).isEqualTo(withConnect(onA));
      assertThat(Replay.errors(json)).isEqualTo(onA.errors);
      assertThat(json.at("/source/inputs/0").asText())
          .isEqualTo("lo (tcp and (port " + a.port() + " or port 2888 or port 3888))");
      // --servers: the same, by address and port
      Launched byServer =
          sniff("servers", "-i", "lo", "--servers", "127.0.0.1:" + b.port(), "--format", "json");
      traffic(a, "/a2");
      Workload onB = traffic(b, "/b2");
      stop(byServer);
      json = byServer.json();
      assertThat(Replay.requests(json)).isEqualTo(withConnect(onB));
      assertThat(json.at("/source/inputs/0").asText())
          .isEqualTo(
              "lo (tcp and ((host 127.0.0.1 and port "
                  + b.port()
                  + ") or port 2888 or port 3888))");
    }
  }

  @Test
  void filterGivenWholeReplacesTheBuiltOne() throws Exception {
    try (EmbeddedZooKeeper a = EmbeddedZooKeeper.start("127.0.0.1");
        EmbeddedZooKeeper b = EmbeddedZooKeeper.start("127.0.0.1")) {
      // given: both ports are ZooKeeper ports, but the filter lets only b's packets in
      Launched p =
          sniff(
              "filter",
              "-i",
              "lo",
              "--port",
              a.port() + "," + b.port(),
              "--filter",
              "tcp port " + b.port(),
              "--format",
              "json");
      traffic(a, "/a");
      Workload onB = traffic(b, "/b");
      stop(p);
      JsonNode json = p.json();
      assertThat(Replay.requests(json)).isEqualTo(withConnect(onB));
      assertThat(json.at("/source/inputs/0").asText()).isEqualTo("lo (tcp port " + b.port() + ")");
    }
  }

  @Test
  void snaplenCutsEveryPacketAndRequestsAreStillCounted() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      Path written = dir.resolve("cut.pcap");
      Launched p =
          sniff(
              "snaplen",
              "-i",
              "lo",
              "--port",
              "" + zk.port(),
              "--snaplen",
              "120",
              "--write",
              written.toString(),
              "--format",
              "json");
      // given: requests and replies far longer than 120 bytes
      Workload w = traffic(zk, "/cut");
      ZooKeeper c = Workload.connect(zk.connectString());
      byte[] data = new byte[4000];
      c.create("/big", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < 5; i++) {
        c.setData("/big", data, -1);
        c.getData("/big", false, null);
      }
      c.close();
      stop(p);
      // then: every request counted, the bytes the capture did not keep skipped, not misread
      Map<String, Long> expected = new TreeMap<>(withConnect(w));
      expected.merge("connect", 1L, Long::sum);
      expected.merge("create", 1L, Long::sum);
      expected.merge("setData", 5L, Long::sum);
      expected.merge("getData", 5L, Long::sum);
      expected.merge("closeSession", 1L, Long::sum);
      JsonNode json = p.json();
      assertThat(Replay.requests(json)).isEqualTo(expected);
      assertThat(json.at("/summary/skipped_bytes").asLong()).isGreaterThan(10L * data.length);
      assertThat(json.at("/summary/decode_errors").asLong()).isZero();
      // and what was written is cut at 120 bytes, as the pcap's own records say
      assertThat(capturedLengths(written))
          .isNotEmpty()
          .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(120));
    }
  }

  /** Each record's captured length in a little-endian pcap, read from its record headers. */
  private static List<Integer> capturedLengths(Path pcap) throws Exception {
    List<Integer> lengths = new ArrayList<>();
    try (InputStream in = Files.newInputStream(pcap)) {
      byte[] header = new DataInputStream(in).readNBytes(24);
      int snaplen = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
      assertThat(snaplen).isEqualTo(120);
      byte[] rec = new byte[16];
      while (in.readNBytes(rec, 0, 16) == 16) {
        int caplen = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN).getInt(8);
        lengths.add(caplen);
        in.skipNBytes(caplen);
      }
    }
    return lengths;
  }

  @Test
  void bufferSizeIsTheKernelRingTheCaptureMaps() throws Exception {
    long bytes = 8L << 20;
    Launched p = sniff("buffer", "-i", "lo", "--port", "1", "--buffer-size", "" + bytes);
    // libpcap maps its TPACKET ring from the socket: the mapping is as large as asked.
    List<Long> socketMappings = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/" + p.process().pid() + "/maps"))) {
      if (line.endsWith("]") && line.contains("socket:[")) {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        socketMappings.add(
            Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16));
      }
    }
    stop(p);
    assertThat(socketMappings).containsExactly(bytes);
  }

  @Test
  void listShowsEveryInterfaceWithItsAddresses() throws Exception {
    // given: the interfaces and addresses as iproute2 sees them, before and after
    Map<String, Set<InetAddress>> before = ipAddresses();
    Launched p = Launched.start(dir, "list", "sniff", "--list");
    assertThat(p.exitCode()).as(p.err()).isZero();
    Map<String, Set<InetAddress>> after = ipAddresses();
    // when: zkdigest sniff --list
    Map<String, Set<InetAddress>> listed = new TreeMap<>();
    for (String line : p.out().lines().toList()) {
      String[] parts = line.split("  ");
      Set<InetAddress> addrs = new HashSet<>();
      if (parts.length > 1 && !parts[1].startsWith("(") && !parts[1].startsWith("[")) {
        for (String a : parts[1].split(", ")) {
          addrs.add(InetAddress.getByName(a));
        }
      }
      listed.put(parts[0], addrs);
    }
    // then: every interface that was there throughout is listed, with the same addresses
    for (String name : before.keySet()) {
      if (after.containsKey(name) && before.get(name).equals(after.get(name))) {
        assertThat(listed).as(name).containsEntry(name, before.get(name));
      }
    }
    assertThat(listed).containsKey("any");
    assertThat(p.out()).containsPattern("(?m)^lo  .*\\[loopback\\]$");
  }

  /** {@code ip -o addr show}: each interface's addresses (interfaces with none included). */
  private static Map<String, Set<InetAddress>> ipAddresses() throws Exception {
    Map<String, Set<InetAddress>> m = new TreeMap<>();
    for (String line : Root.run("ip", "-o", "link", "show").lines().toList()) {
      String name = line.split(": ")[1].split("@")[0];
      m.put(name, new HashSet<>());
    }
    for (String line : Root.run("ip", "-o", "addr", "show").lines().toList()) {
      String[] f = line.trim().split("\\s+");
      String addr = f[3].substring(0, f[3].indexOf('/'));
      m.computeIfAbsent(f[1], k -> new HashSet<>()).add(InetAddress.getByName(addr));
    }
    return m;
  }

  @Test
  void liveOptionsInSniffModeShowIntervalsMetricsAndTheFinalReport() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      int metrics = Ports.free();
      Path report = dir.resolve("final.json");
      Launched p =
          sniff(
              "live",
              "-i",
              "lo",
              "--port",
              "" + zk.port(),
              "--interval",
              "1s",
              "--metrics",
              "127.0.0.1:" + metrics,
              "--show",
              "--format",
              "json",
              "--output",
              report.toString());
      Workload w = traffic(zk, "/live");
      Thread.sleep(1_500); // at least one interval ends after the traffic
      // Prometheus, while it runs: the same counts as the clients'
      Map<String, Double> scraped = scrape(metrics);
      stop(p);
      Map<String, Long> expected = withConnect(w);
      for (var e : expected.entrySet()) {
        assertThat(scraped)
            .as(e.getKey())
            .containsEntry(
                "zkdigest_requests_total{op=\"" + e.getKey() + "\"}", (double) e.getValue());
      }
      // --output: the final report, whole
      JsonNode json = new ObjectMapper().readTree(report.toFile());
      assertThat(Replay.requests(json)).isEqualTo(expected);
      assertThat(json.at("/source/mode").asText()).isEqualTo("sniff");
      // standard output: with --format json, one JSON line per request and its reply (--show)
      // and the interval reports, told apart by their keys
      Map<String, Long> shown = new TreeMap<>();
      List<JsonNode> intervals = new ArrayList<>();
      for (String line : p.out().lines().filter(l -> !l.isBlank()).toList()) {
        JsonNode j = new ObjectMapper().readTree(line);
        if (j.has("source")) {
          intervals.add(j);
        } else if (j.path("type").asText().equals("exchange")
            && !j.path("op").asText().equals("ping")) {
          shown.merge(j.path("op").asText(), 1L, Long::sum);
        }
      }
      assertThat(shown).isEqualTo(expected);
      assertThat(intervals).isNotEmpty();
      assertThat(intervals)
          .allSatisfy(j -> assertThat(j.at("/source/mode").asText()).isEqualTo("sniff (last 1s)"));
      // the intervals split the total between them
      long inIntervals =
          intervals.stream().mapToLong(j -> j.at("/summary/requests").asLong()).sum();
      assertThat(inIntervals).isEqualTo(json.at("/summary/requests").asLong());
    }
  }

  private static Map<String, Double> scrape(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    Map<String, Double> samples = new TreeMap<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int sp = line.lastIndexOf(' ');
        samples.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
      }
    }
    return samples;
  }

  @Test
  void queueOverflowIsCountedAndTheGapsSkipped() throws Exception {
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      // given: a hand-off queue of 4 KiB, smaller than one segment of a large reply on lo
      Launched p =
          sniff(
              "overflow",
              "-i",
              "lo",
              "--port",
              "" + zk.port(),
              "--via",
              "libpcap-queue",
              "--queue-size",
              "4096",
              "--format",
              "json");
      ZooKeeper c = Workload.connect(zk.connectString());
      byte[] data = new byte[500_000];
      c.create("/big", data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      for (int i = 0; i < 5; i++) {
        c.getData("/big", false, null);
      }
      c.close();
      stop(p);
      // then: the packets that did not fit are dropped and counted, and every captured packet is
      // either decoded or one of them
      JsonNode capture = p.json().get("capture");
      long drops = capture.get("queue_drops").asLong();
      assertThat(drops).isPositive();
      assertThat(capture.get("packets_captured").asLong())
          .isEqualTo(capture.get("packets_decoded").asLong() + drops);
      // the replies' lost bytes are skipped as gaps, not misread
      JsonNode s = p.json().get("summary");
      assertThat(s.get("skipped_bytes").asLong()).isPositive();
      assertThat(s.get("decode_errors").asLong()).isZero();
    }
  }

  @Test
  void badSniffOptionsAreUsageErrors() throws Exception {
    Map<String, String[]> cases = new TreeMap<>();
    cases.put("--queue-size must be at least 4096 bytes", new String[] {"--queue-size", "10"});
    cases.put("--via must be libpcap or libpcap-queue", new String[] {"--via", "tcpdump"});
    cases.put("--threads must be between 1 and 64", new String[] {"--threads", "0"});
    cases.put("--snaplen or --buffer-size too small", new String[] {"--snaplen", "10"});
    cases.put("--port 70000 is out of range", new String[] {"--port", "70000"});
    for (var c : cases.entrySet()) {
      List<String> args = new ArrayList<>(List.of("sniff", "-i", "lo"));
      args.addAll(List.of(c.getValue()));
      Launched p = Launched.start(dir, "bad", args.toArray(new String[0]));
      // then: exit 2, the reason in one line that says where the options are; no stack trace
      assertThat(p.exitCode()).as(c.getKey()).isEqualTo(2);
      assertThat(p.err().lines())
          .singleElement()
          .asString()
          .contains(c.getKey())
          .endsWith("(see 'zkdigest sniff --help')");
      assertThat(p.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }
}
