package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import dev.zkdigest.sniffer.LiveCapture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real network faults, in network namespaces this test makes: the client and the ZooKeeper server
 * each in their own namespace (separate processes), the proxy and the sniffer in between, on the
 * veths that join them. Loss comes from nftables rules dropping a random share, bandwidth and
 * queueing delay from tbf, outages from a link taken down and a drop-everything rule; what a
 * sniffer sees reordered, delayed, duplicated or lost comes from captures rewritten by {@link
 * CaptureRewriter} and replayed onto a veth with tcpreplay. Expected values are what the client
 * did, by its own record.
 */
class NetworkFaultsIT {
  @TempDir Path dir;

  /** Share of packets dropped, each way, on each link. */
  private static final int LOSS_PERCENT = 5;

  /** Shorter than the client's read timeout (2/3 of its 30 s session timeout): no reconnect. */
  private static final int OUTAGE_SECONDS = 3;

  private static final int WORKLOAD_SECONDS = 25;

  @BeforeEach
  void needsRoot() {
    Root.require("network namespaces, veths, nftables, tc and tcpreplay");
  }

  /** The classpath of this JVM, for the processes started inside the namespaces. */
  private static String classpath() {
    return System.getProperty("java.class.path");
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** nft rules in a namespace: LOSS_PERCENT of packets dropped each way, counted. */
  private static String lossRules(String table) {
    return "table inet "
        + table
        + " {\n"
        + "  counter lost {}\n"
        + "  chain input { type filter hook input priority 0; numgen random mod 100 < "
        + LOSS_PERCENT
        + " counter name lost drop; }\n"
        + "  chain output { type filter hook output priority 0; numgen random mod 100 < "
        + LOSS_PERCENT
        + " counter name lost drop; }\n"
        + "}\n";
  }

  @Test
  void proxyStaysTransparentAndCountsExactThroughLossQueueingAndOutages() throws Exception {
    try (NetNs server = NetNs.create("s");
        NetNs client = NetNs.create("c")) {
      // given: ZooKeeper in its namespace
      int zkPort = 2181;
      Path zkData = Files.createDirectories(dir.resolve("zk-data"));
      Process zk =
          new ProcessBuilder(
                  server.inside(
                      java(),
                      "-Dzookeeper.admin.enableServer=false",
                      "-Dzookeeper.extendedTypesEnabled=true",
                      "-cp",
                      classpath(),
                      "org.apache.zookeeper.server.ZooKeeperServerMain",
                      Integer.toString(zkPort),
                      zkData.toString()))
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("zk.log").toFile())
              .start();
      Recording proxied = new Recording(Digest.Limits.DEFAULTS);
      Recording sniffed = new Recording(Digest.Limits.DEFAULTS);
      long lostClient;
      long lostServer;
      JsonNode did;
      Map<String, Long> expected;
      int proxyPort = Ports.free();
      try (Tcpdump clientSide =
              tcpdump(dir.resolve("client-side.pcap"), client.outside, proxyPort);
          Tcpdump serverSide = tcpdump(dir.resolve("server-side.pcap"), server.outside, zkPort);
          ZkProxy proxy =
              ZkProxy.start(
                  List.of(
                      new Route(
                          java.net.InetSocketAddress.createUnresolved(client.outsideIp, proxyPort),
                          java.net.InetSocketAddress.createUnresolved(server.insideIp, zkPort))),
                  ZkProxy.Options.DEFAULTS,
                  proxied::forCurrentThread)) {
        awaitListening(server, zkPort);
        LiveCapture sniffer = sniff(client.outside, proxyPort, sniffed);
        // and loss on both links, a slow link towards the client
        server.nft(lossRules("zkloss"));
        client.nft(lossRules("zkloss"));
        Root.run(
            "tc",
            "qdisc",
            "add",
            "dev",
            client.outside,
            "root",
            "tbf",
            "rate",
            "4mbit",
            "burst",
            "16kb",
            "latency",
            "300ms");
        // when: the client works for a while through the proxy...
        Process work =
            new ProcessBuilder(
                    client.inside(
                        java(),
                        "-cp",
                        classpath(),
                        FaultClient.class.getName(),
                        client.outsideIp + ":" + proxyPort,
                        Integer.toString(WORKLOAD_SECONDS)))
                .redirectError(dir.resolve("client.log").toFile())
                .start();
        // ...through an outage of the server's link (down, then up)...
        Thread.sleep(8_000);
        Root.run("ip", "link", "set", server.outside, "down");
        Thread.sleep(OUTAGE_SECONDS * 1000L);
        Root.run("ip", "link", "set", server.outside, "up");
        // ...and one of the client's (everything dropped for a while)
        Thread.sleep(4_000);
        client.nft(
            "table inet zkcut {\n chain input { type filter hook input priority -10; drop; }\n"
                + " chain output { type filter hook output priority -10; drop; }\n}\n");
        Thread.sleep(OUTAGE_SECONDS * 1000L);
        client.exec("nft", "delete", "table", "inet", "zkcut");
        byte[] report = work.getInputStream().readAllBytes();
        assertThat(work.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(work.exitValue()).as(Files.readString(dir.resolve("client.log"))).isZero();
        did = new ObjectMapper().readTree(report);
        Thread.sleep(1_000);
        sniffer.close();
        // then: the session survived, on one connection
        assertThat(did.get("session_end").asLong()).isEqualTo(did.get("session_start").asLong());
        assertThat(did.get("states").toString()).doesNotContain("Disconnected", "Expired");
        assertThat(proxy.stats().accepted()).isEqualTo(1);
        // the loss happened
        lostClient = client.nftCounter("zkloss", "lost");
        lostServer = server.nftCounter("zkloss", "lost");
        assertThat(lostClient).isPositive();
        assertThat(lostServer).isPositive();
        // the proxy and the sniffer counted exactly what the client did
        expected = requests(did);
        assertThat(DigestCounts.requests(proxied.total())).isEqualTo(expected);
        assertThat(DigestCounts.errors(proxied.total())).isEqualTo(errors(did));
        assertThat(DigestCounts.requests(sniffed.total())).isEqualTo(expected);
        assertThat(DigestCounts.errors(sniffed.total())).isEqualTo(errors(did));
        {
          assertThat(sniffed.total().decodeErrors()).isZero();
          assertThat(sniffed.total().unmatched()).isZero();
        }
        assertThat(sniffer.stats())
            .containsEntry("kernel_drops", 0L)
            .containsEntry("queue_drops", 0L);
      } finally {
        zk.destroy();
        zk.waitFor(30, TimeUnit.SECONDS);
      }
      // and every byte went through untouched: each direction of the client's connection, as the
      // proxy's veths saw it (tshark's reassembly), is the same on both sides of the proxy
      List<byte[]> clientSide = followStream(dir.resolve("client-side.pcap"));
      List<byte[]> serverSide = followStream(dir.resolve("server-side.pcap"));
      // (at least a round of the workload went through: dozens of requests each way)
      assertThat(did.get("rounds").asLong()).isPositive();
      assertThat(clientSide.get(0)).isNotEmpty();
      assertThat(clientSide.get(1)).isNotEmpty();
      assertThat(HexFormat.of().formatHex(sha256(serverSide.get(0))))
          .as("client to server")
          .isEqualTo(HexFormat.of().formatHex(sha256(clientSide.get(0))));
      assertThat(HexFormat.of().formatHex(sha256(serverSide.get(1))))
          .as("server to client")
          .isEqualTo(HexFormat.of().formatHex(sha256(clientSide.get(1))));
      long retransmitted = retransmissions(dir.resolve("client-side.pcap"));
      assertThat(retransmitted).isPositive();
      System.out.printf(
          java.util.Locale.ROOT,
          "faults: %d rounds, %d requests; lost packets: client link %d, server link %d;"
              + " retransmissions seen by the proxy's client side %d; %,d and %,d bytes"
              + " identical on both sides%n",
          did.get("rounds").asLong(),
          expected.values().stream().mapToLong(Long::longValue).sum(),
          lostClient,
          lostServer,
          retransmitted,
          clientSide.get(0).length,
          clientSide.get(1).length);
    }
  }

  private static Tcpdump tcpdump(Path file, String iface, int port) throws Exception {
    return Tcpdump.start(file, iface, 262144, "tcp port " + port);
  }

  private static LiveCapture sniff(String iface, int port, Recording digest) throws Exception {
    ServerMatcher matcher = ServerMatcher.ports(port);
    LiveCapture c =
        LiveCapture.start(
            new LiveCapture.Options(iface, matcher.bpf(), 262144, 8 << 20, 64L << 20, null),
            new TcpTracker(matcher, ProtocolConfig.DEFAULTS, digest.newRecorder()));
    Thread.sleep(300);
    return c;
  }

  private static void awaitListening(NetNs ns, int port) throws Exception {
    for (int i = 0; i < 300; i++) {
      if (ns.exec("ss", "-ltnH", "sport = :" + port).contains(":" + port)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("ZooKeeper did not start in " + ns.name);
  }

  private static Map<String, Long> requests(JsonNode did) {
    Map<String, Long> m = new TreeMap<>();
    did.get("requests").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
    m.merge("connect", 1L, Long::sum);
    return m;
  }

  private static Map<String, Map<String, Long>> errors(JsonNode did) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    did.get("errors")
        .fields()
        .forEachRemaining(
            e -> {
              Map<String, Long> byCode = new TreeMap<>();
              e.getValue()
                  .fields()
                  .forEachRemaining(c -> byCode.put(c.getKey(), c.getValue().asLong()));
              m.put(e.getKey(), byCode);
            });
    return m;
  }

  /**
   * The first TCP stream of a capture, each direction reassembled by tshark ({@code -z
   * follow,tcp,raw}): the node that sent the SYN first, then the other.
   */
  static List<byte[]> followStream(Path pcap) throws Exception {
    Process p =
        new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-q", "-z", "follow,tcp,raw,0")
            .redirectErrorStream(false)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    ByteArrayOutputStream first = new ByteArrayOutputStream();
    ByteArrayOutputStream second = new ByteArrayOutputStream();
    boolean inData = false;
    for (String line : out.split("\n")) {
      if (line.startsWith("Node 1:")) {
        inData = true;
        continue;
      }
      if (!inData || line.startsWith("=")) {
        continue;
      }
      if (line.startsWith("\t")) {
        second.writeBytes(HexFormat.of().parseHex(line.trim()));
      } else if (!line.isBlank()) {
        first.writeBytes(HexFormat.of().parseHex(line.trim()));
      }
    }
    return List.of(first.toByteArray(), second.toByteArray());
  }

  private static long retransmissions(Path pcap) throws Exception {
    String out =
        Root.run(
            "tshark",
            "-n",
            "-r",
            pcap.toString(),
            "-Y",
            "tcp.analysis.retransmission",
            "-T",
            "fields",
            "-e",
            "frame.number");
    return out.lines().filter(l -> !l.isBlank() && !l.startsWith("Running")).count();
  }

  private static byte[] sha256(byte[] b) throws Exception {
    return java.security.MessageDigest.getInstance("SHA-256").digest(b);
  }

  @Test
  void snifferCountsEverySegmentReorderedDelayedDuplicatedOrLostByTheCapture() throws Exception {
    // given: a real capture of ZooKeeper's Java client, with frames of a few KiB
    Path recorded = dir.resolve("recorded.pcap");
    Workload work = new Workload();
    int zkPort;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      zkPort = zk.port();
      try (Tcpdump ignored = Tcpdump.start(recorded, "lo", 262144, "tcp port " + zkPort)) {
        ZooKeeper c = Workload.connect(zk.connectString());
        work.run(c, "/replayed", 3);
        byte[] big = new byte[6000];
        c.create("/big", big, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        work.requests.merge("create", 1L, Long::sum);
        for (int i = 0; i < 10; i++) {
          c.setData("/big", big, -1);
          c.getData("/big", false, null);
        }
        work.requests.merge("setData", 10L, Long::sum);
        work.requests.merge("getData", 10L, Long::sum);
        work.close(c);
      }
    }
    Map<String, Long> expected = new TreeMap<>(work.requests);
    expected.merge("connect", 1L, Long::sum);
    try (NetNs tap = NetNs.create("t")) {
      for (boolean lose : new boolean[] {false, true}) {
        // when: rewritten as a tap would show it, and replayed onto a veth a sniffer listens on
        Path rewritten = dir.resolve("rewritten-" + lose + ".pcap");
        CaptureRewriter.Rewritten r = CaptureRewriter.rewrite(recorded, rewritten, zkPort, lose);
        assertThat(r.reordered()).isPositive();
        assertThat(r.duplicated()).isPositive();
        Recording digest = new Recording(Digest.Limits.DEFAULTS);
        LiveCapture sniffer = sniff(tap.outside, zkPort, digest);
        tap.exec("tcpreplay", "-q", "--pps=2000", "-i", tap.inside, rewritten.toString());
        sniffer.close();
        // then: every request and error counted, and only what the capture lost is skipped
        assertThat(DigestCounts.requests(digest.total())).as("lost: %s", lose).isEqualTo(expected);
        assertThat(DigestCounts.errors(digest.total())).isEqualTo(work.errors);
        assertThat(sniffer.stats())
            .containsEntry("kernel_drops", 0L)
            .containsEntry("queue_drops", 0L);
        {
          DigestSnapshot s = digest.total();
          assertThat(s.decodeErrors()).isZero();
          assertThat(s.unmatched()).isZero();
          assertThat(s.counter(Counter.SKIPPED_BYTES)).as("the gaps").isEqualTo(r.droppedBytes());
        }
        if (lose) {
          assertThat(r.droppedBytes()).isPositive();
        }
        System.out.printf(
            java.util.Locale.ROOT,
            "replayed: %d segments, %d pairs reordered, %d delayed, %d duplicated, %,d bytes lost;"
                + " %d requests counted, %,d bytes skipped%n",
            r.pieces(),
            r.reordered(),
            r.delayed(),
            r.duplicated(),
            r.droppedBytes(),
            DigestCounts.requests(digest.total()).values().stream()
                .mapToLong(Long::longValue)
                .sum(),
            r.droppedBytes());
      }
    }
  }
}
