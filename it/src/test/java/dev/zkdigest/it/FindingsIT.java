package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each kind of finding from a real workload against a real ZooKeeper that produces the pattern, and
 * a near miss that must not: recorded with tcpdump, replayed with one and with three threads (the
 * findings must be the same), the counts checked against what the clients counted.
 */
class FindingsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<org.apache.zookeeper.data.ACL> ACL = ZooDefs.Ids.OPEN_ACL_UNSAFE;

  @TempDir Path dir;

  /** Traffic against a ZooKeeper, given its client port. */
  private interface Traffic {
    void run(EmbeddedZooKeeper zk) throws Exception;
  }

  // ---- herd ----

  /** A waiter listing a parent's children with a watch, again every time they change. */
  private static final class Waiter implements Watcher {
    final ZooKeeper client;
    final String path;
    final AtomicInteger rereads;

    Waiter(String connectString, String path, AtomicInteger rereads) throws Exception {
      this.client = Workload.connect(connectString);
      this.path = path;
      this.rereads = rereads;
      client.getChildren(path, this);
    }

    @Override
    public void process(WatchedEvent e) {
      if (e.getType() == Event.EventType.NodeChildrenChanged) {
        try {
          client.getChildren(path, this);
          rereads.incrementAndGet();
        } catch (Exception ex) {
          // the test is ending
        }
      }
    }
  }

  @Test
  void twentySessionsWatchingOneParentAreAHerd() throws Exception {
    int waiters = 20;
    int changes = 3;
    AtomicInteger rereads = new AtomicInteger();
    Path pcap =
        record(
            "herd",
            zk -> {
              ZooKeeper admin = Workload.connect(zk.connectString());
              admin.create("/locks", new byte[0], ACL, CreateMode.PERSISTENT);
              List<Waiter> all = new ArrayList<>();
              for (int i = 0; i < waiters; i++) {
                all.add(new Waiter(zk.connectString(), "/locks", rereads));
              }
              for (int i = 1; i <= changes; i++) {
                admin.create("/locks/lock-", new byte[0], ACL, CreateMode.PERSISTENT_SEQUENTIAL);
                int expected = waiters * i;
                await().atMost(Duration.ofSeconds(30)).until(() -> rereads.get() == expected);
              }
              for (Waiter w : all) {
                w.client.close();
              }
              admin.close();
            });
    List<JsonNode> herds = findings(pcap, "herd");
    assertThat(herds).hasSize(1);
    JsonNode e = herds.get(0).get("evidence");
    assertThat(e.get("path").asText()).isEqualTo("/locks");
    // every counted re-read is one the waiters made; on a loaded machine a late one may miss
    // the one-second window
    assertThat(e.get("count").asLong()).isBetween(10L, (long) rereads.get());
    assertThat(e.get("clients").toString()).contains("127.0.0.1");
    assertThat(e.get("example").get("xid").asInt()).isPositive();
  }

  @Test
  void sessionsEachWatchingTheirOwnZnodeAreNoHerd() throws Exception {
    // near miss: as many sessions, events and re-reads, but each event wakes one session
    int sessions = 20;
    AtomicInteger rereads = new AtomicInteger();
    Path pcap =
        record(
            "noherd",
            zk -> {
              ZooKeeper admin = Workload.connect(zk.connectString());
              admin.create("/own", new byte[0], ACL, CreateMode.PERSISTENT);
              List<Waiter> all = new ArrayList<>();
              for (int i = 0; i < sessions; i++) {
                admin.create("/own/w" + i, new byte[0], ACL, CreateMode.PERSISTENT);
                all.add(new Waiter(zk.connectString(), "/own/w" + i, rereads));
              }
              for (int i = 0; i < sessions; i++) {
                admin.create("/own/w" + i + "/c", new byte[0], ACL, CreateMode.PERSISTENT);
              }
              await().atMost(Duration.ofSeconds(30)).until(() -> rereads.get() == sessions);
              for (Waiter w : all) {
                w.client.close();
              }
              admin.close();
            });
    assertThat(findings(pcap, "herd")).isEmpty();
  }

  // ---- polling ----

  @Test
  void sessionsReadingAPathOnATimerWithoutAWatchArePolling() throws Exception {
    int sessions = 3;
    int reads = 25;
    AtomicInteger made = new AtomicInteger();
    Path pcap =
        record(
            "poll",
            zk -> {
              ZooKeeper admin = Workload.connect(zk.connectString());
              admin.create("/flag", new byte[1], ACL, CreateMode.PERSISTENT);
              List<ZooKeeper> clients = new ArrayList<>();
              for (int i = 0; i < sessions; i++) {
                clients.add(Workload.connect(zk.connectString()));
              }
              for (int r = 0; r < reads; r++) {
                for (ZooKeeper c : clients) {
                  c.exists("/flag", false);
                  made.incrementAndGet();
                }
                Thread.sleep(100);
              }
              for (ZooKeeper c : clients) {
                c.close();
              }
              admin.close();
            });
    List<JsonNode> polls = findings(pcap, "polling");
    assertThat(polls).hasSize(1);
    JsonNode e = polls.get(0).get("evidence");
    assertThat(e.get("path").asText()).isEqualTo("/flag");
    assertThat(e.get("count").asLong()).isEqualTo(made.get());
    assertThat(e.get("sessions")).hasSize(sessions);
    assertThat(polls.get(0).get("summary").asText()).startsWith("3 sessions poll exists /flag");
  }

  @Test
  void readsWithAWatchOrInABurstAreNotPolling() throws Exception {
    // near miss: the same timer but each read sets a watch; and a burst of reads without one
    Path pcap =
        record(
            "nopoll",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              c.create("/flag", new byte[1], ACL, CreateMode.PERSISTENT);
              for (int r = 0; r < 25; r++) {
                c.exists("/flag", true);
                Thread.sleep(100);
              }
              for (int r = 0; r < 50; r++) {
                c.getData("/flag", false, null);
              }
              c.close();
            });
    assertThat(findings(pcap, "polling")).isEmpty();
  }

  // ---- hot_znode ----

  @Test
  void oneZnodeTakingMostReadsAndRacingWritersAreHot() throws Exception {
    int hotReads = 1_500;
    AtomicInteger badVersions = new AtomicInteger();
    Path pcap =
        record(
            "hot",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              c.create("/hot", new byte[1], ACL, CreateMode.PERSISTENT);
              c.create("/cold", new byte[1], ACL, CreateMode.PERSISTENT);
              for (int i = 0; i < hotReads; i++) {
                c.getData("/hot", false, null);
                if (i % 10 == 0) {
                  c.getData("/cold", false, null);
                }
              }
              for (int i = 0; i < 15; i++) {
                try {
                  c.setData("/hot", new byte[1], 1_000 + i);
                } catch (KeeperException.BadVersionException expected) {
                  badVersions.incrementAndGet();
                }
              }
              c.close();
            });
    List<JsonNode> hot = findings(pcap, "hot_znode");
    assertThat(hot).extracting(f -> f.get("evidence").get("path").asText()).containsOnly("/hot");
    assertThat(hot)
        .extracting(f -> f.get("evidence").get("count").asLong())
        .contains((long) hotReads, (long) badVersions.get());
  }

  @Test
  void readsSpreadOverManyZnodesAreNotHot() throws Exception {
    Path pcap =
        record(
            "nothot",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              for (int p = 0; p < 10; p++) {
                c.create("/spread" + p, new byte[1], ACL, CreateMode.PERSISTENT);
              }
              for (int i = 0; i < 1_500; i++) {
                c.getData("/spread" + (i % 10), false, null);
              }
              for (int i = 0; i < 5; i++) {
                try {
                  c.setData("/spread0", new byte[1], 1_000 + i);
                } catch (KeeperException.BadVersionException expected) {
                  // a few lost races are normal
                }
              }
              c.close();
            });
    assertThat(findings(pcap, "hot_znode")).isEmpty();
  }

  // ---- large_payload ----

  @Test
  void writesAndReadsOf300KiBAreLargePayloads() throws Exception {
    AtomicInteger large = new AtomicInteger();
    Path pcap =
        record(
            "large",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              c.create("/big", new byte[0], ACL, CreateMode.PERSISTENT);
              for (int i = 0; i < 3; i++) {
                c.setData("/big", new byte[300 * 1024], -1);
                large.incrementAndGet();
                c.getData("/big", false, null);
                large.incrementAndGet();
              }
              c.close();
            });
    List<JsonNode> found = findings(pcap, "large_payload");
    assertThat(found).isNotEmpty();
    assertThat(found).allMatch(f -> f.get("evidence").get("path").asText().equals("/big"));
    assertThat(found.stream().mapToLong(f -> f.get("evidence").get("count").asLong()).sum())
        .isEqualTo(large.get());
    assertThat(found.get(0).get("summary").asText()).contains("of jute.maxbuffer");
  }

  @Test
  void payloadsOf200KiBAreNotLarge() throws Exception {
    Path pcap =
        record(
            "notlarge",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              c.create("/mid", new byte[0], ACL, CreateMode.PERSISTENT);
              for (int i = 0; i < 3; i++) {
                c.setData("/mid", new byte[200 * 1024], -1);
                c.getData("/mid", false, null);
              }
              c.close();
            });
    assertThat(findings(pcap, "large_payload")).isEmpty();
  }

  // ---- session_churn ----

  @Test
  void aClientOpeningASessionPerRequestChurns() throws Exception {
    int sessions = 30;
    Path pcap =
        record(
            "churn",
            zk -> {
              for (int i = 0; i < sessions; i++) {
                ZooKeeper c = Workload.connect(zk.connectString());
                c.exists("/", false);
                c.close();
              }
            });
    List<JsonNode> churn = findings(pcap, "session_churn");
    assertThat(churn).hasSize(1);
    JsonNode e = churn.get(0).get("evidence");
    assertThat(e.get("clients").get(0).asText()).isEqualTo("127.0.0.1");
    assertThat(e.get("count").asLong()).isEqualTo(sessions);
  }

  @Test
  void longLivedSessionsOpenedTogetherDoNotChurn() throws Exception {
    // near miss: 25 sessions opened at once and kept (a connection pool starting), and five
    // short ones
    List<ZooKeeper> kept = new ArrayList<>();
    Path pcap =
        record(
            "nochurn",
            zk -> {
              for (int i = 0; i < 25; i++) {
                kept.add(Workload.connect(zk.connectString()));
              }
              for (int i = 0; i < 5; i++) {
                ZooKeeper c = Workload.connect(zk.connectString());
                c.exists("/", false);
                c.close();
              }
              for (ZooKeeper c : kept) {
                c.exists("/", false);
              }
            },
            () -> {
              for (ZooKeeper c : kept) {
                c.close();
              }
            });
    assertThat(findings(pcap, "session_churn")).isEmpty();
  }

  // ---- error_storm ----

  @Test
  void creatingTheSameZnodeInALoopIsAnErrorStorm() throws Exception {
    AtomicInteger exists = new AtomicInteger();
    Path pcap =
        record(
            "storm",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              c.create("/leader", new byte[0], ACL, CreateMode.PERSISTENT);
              for (int i = 0; i < 50; i++) {
                try {
                  c.create("/leader", new byte[0], ACL, CreateMode.PERSISTENT);
                } catch (KeeperException.NodeExistsException expected) {
                  exists.incrementAndGet();
                }
              }
              c.close();
            });
    List<JsonNode> storms = findings(pcap, "error_storm");
    assertThat(storms).hasSize(1);
    JsonNode e = storms.get(0).get("evidence");
    assertThat(e.get("class").asText()).isEqualTo("create /leader");
    assertThat(e.get("count").asLong()).isEqualTo(exists.get());
    assertThat(storms.get(0).get("summary").asText()).contains("NODEEXISTS");
    assertThat(e.get("example").get("client").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void aFewCollisionsAmongManyCreatesAreNoStorm() throws Exception {
    Path pcap =
        record(
            "nostorm",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              for (int i = 0; i < 200; i++) {
                // every tenth name is taken already: 10% NODEEXISTS
                String name = "/item" + (i % 10 == 9 ? i - 1 : i);
                try {
                  c.create(name, new byte[0], ACL, CreateMode.PERSISTENT);
                } catch (KeeperException.NodeExistsException expected) {
                  // counted by the server
                }
              }
              c.close();
            });
    assertThat(findings(pcap, "error_storm")).isEmpty();
  }

  // ---- slow_period ----

  /** Reads paced in batches of five, with the link's delay changed part way. */
  private static void pacedReads(ZooKeeper c, int batches) throws Exception {
    CountDownLatch done = new CountDownLatch(batches * 5);
    AsyncCallback.DataCallback cb = (rc, path, ctx, data, stat) -> done.countDown();
    for (int b = 0; b < batches; b++) {
      for (int k = 0; k < 5; k++) {
        c.getData("/paced", false, cb, null);
      }
      Thread.sleep(10);
    }
    done.await();
  }

  @Test
  void aSecondWhenRepliesSlowDownIsASlowPeriod() throws Exception {
    long[] slow = new long[2];
    Path pcap =
        recordThroughLink(
            "slow",
            (zk, link) -> {
              ZooKeeper c = Workload.connect(link.address());
              c.create("/paced", new byte[1], ACL, CreateMode.PERSISTENT);
              pacedReads(c, 150);
              slow[0] = System.currentTimeMillis();
              link.delay(150);
              pacedReads(c, 80);
              link.delay(0);
              slow[1] = System.currentTimeMillis();
              pacedReads(c, 150);
              c.close();
            });
    List<JsonNode> periods = findings(pcap, "slow_period");
    // one slow period lies within the time the link was slow (to a bucket); a loaded machine
    // may add another, e.g. while the client warms up
    assertThat(periods)
        .anySatisfy(
            p -> {
              JsonNode e = p.get("evidence");
              long first = e.get("first_ns").asLong() / 1_000_000;
              long last = e.get("last_ns").asLong() / 1_000_000;
              assertThat(first).isBetween(slow[0] - 1_000, slow[1]);
              assertThat(last).isBetween(slow[0], slow[1] + 1_000);
            });
  }

  @Test
  void repliesEquallySlowAllAlongAreNoSlowPeriod() throws Exception {
    Path pcap =
        recordThroughLink(
            "noslow",
            (zk, link) -> {
              link.delay(30);
              ZooKeeper c = Workload.connect(link.address());
              c.create("/paced", new byte[1], ACL, CreateMode.PERSISTENT);
              pacedReads(c, 300);
              c.close();
            });
    assertThat(findings(pcap, "slow_period")).isEmpty();
  }

  // ---- identities ----

  @Test
  void requestsAfterADigestAuthCountUnderItsUserNeverItsPassword() throws Exception {
    AtomicInteger afterAuth = new AtomicInteger();
    Path pcap =
        record(
            "auth",
            zk -> {
              ZooKeeper c = Workload.connect(zk.connectString());
              c.exists("/", false);
              c.addAuthInfo("digest", "alice:s3cr3t-pw".getBytes(StandardCharsets.UTF_8));
              afterAuth.incrementAndGet(); // the auth packet itself
              for (int i = 0; i < 7; i++) {
                c.exists("/", false);
                afterAuth.incrementAndGet();
              }
              c.close();
              afterAuth.incrementAndGet(); // closeSession
            });
    String report = replay(pcap, "--threads", "1");
    assertThat(report).doesNotContain("s3cr3t");
    JsonNode ids = JSON.readTree(report).get("identities");
    assertThat(ids).hasSize(1);
    assertThat(ids.get(0).get("identity").asText()).isEqualTo("digest:alice");
    assertThat(ids.get(0).get("requests").asLong()).isEqualTo(afterAuth.get());
    assertThat(ids.get(0).get("connections").asLong()).isEqualTo(1);
  }

  // ---- helpers ----

  private Path record(String name, Traffic traffic) throws Exception {
    return record(name, traffic, () -> {});
  }

  /** Records {@code traffic}, then runs {@code after} once the capture has stopped. */
  private Path record(String name, Traffic traffic, ThrowingRunnable after) throws Exception {
    Tcpdump.requireCapture();
    Path pcap = dir.resolve(name + ".pcap");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      try (Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + zk.port())) {
        traffic.run(zk);
      }
      after.run();
    }
    return pcap;
  }

  private interface LinkTraffic {
    void run(EmbeddedZooKeeper zk, DelayedLink link) throws Exception;
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Records what clients of a link in front of the server see (its port only). */
  private Path recordThroughLink(String name, LinkTraffic traffic) throws Exception {
    Tcpdump.requireCapture();
    Path pcap = dir.resolve(name + ".pcap");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        DelayedLink link = new DelayedLink(zk.port(), 0);
        Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + link.port())) {
      traffic.run(zk, link);
    }
    return pcap;
  }

  /**
   * The findings of one kind in the capture's report, checking first that one and three replay
   * threads find exactly the same.
   */
  private static List<JsonNode> findings(Path pcap, String kind) throws Exception {
    JsonNode one = JSON.readTree(replay(pcap, "--threads", "1")).get("findings");
    JsonNode three = JSON.readTree(replay(pcap, "--threads", "3")).get("findings");
    assertThat(three).as("findings with 3 threads").isEqualTo(one);
    List<JsonNode> out = new ArrayList<>();
    one.forEach(
        f -> {
          if (f.get("kind").asText().equals(kind)) {
            out.add(f);
          }
        });
    return out;
  }

  private static String replay(Path file, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("replay", "--format", "json"));
    args.addAll(List.of(extra));
    args.add(file.toString());
    return run(args.toArray(new String[0]));
  }

  /** Runs the command in-process and returns what it wrote to standard output. */
  private static String run(String... args) throws Exception {
    Path out = Files.createTempFile("zkdigest-it", ".out");
    List<String> all = new ArrayList<>(List.of(args));
    all.add(1, "-o");
    all.add(2, out.toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.run(all.toArray(new String[0]));
    } finally {
      System.setErr(old);
    }
    assertThat(code).as("exit code of %s; stderr: %s", List.of(args), err).isZero();
    String text = Files.readString(out);
    Files.delete(out);
    return text;
  }
}
