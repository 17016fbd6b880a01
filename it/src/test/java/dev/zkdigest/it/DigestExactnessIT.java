package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.zkdigest.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest is exact on real traffic: the same report at every thread count and under every cap,
 * reports that merge into the report of everything, four-letter words on a server found by
 * inference, and a diff that names what changed.
 */
class DigestExactnessIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** Real traffic with counters in znode names: thousands of paths, a few classes. */
  private static void counterLoad(ZooKeeper zk, String root, int n) throws Exception {
    var acl = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    zk.create(root, new byte[0], acl, CreateMode.PERSISTENT);
    zk.create(root + "/scratch", new byte[0], acl, CreateMode.PERSISTENT);
    for (int i = 0; i < n; i++) {
      zk.create(root + "/scratch/x" + i, new byte[8], acl, CreateMode.PERSISTENT);
      zk.getData(root + "/scratch/x" + i, false, null);
      zk.exists(root + "/n" + (i % 97), false);
    }
  }

  /** Asks a four-letter word and returns how many bytes the server answered with. */
  private static long fourLetterWord(int port, String word) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return in.readAllBytes().length;
    }
  }

  private Path recordCounterLoad(String name, int znodes) throws Exception {
    Tcpdump.requireCapture();
    Path pcap = dir.resolve(name + ".pcap");
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + zk.port())) {
      ZooKeeper client = Workload.connect(zk.connectString());
      new Workload().run(client, "/" + name, 5);
      counterLoad(client, "/" + name + "-load", znodes);
      client.close();
      fourLetterWord(zk.port(), "ruok");
      fourLetterWord(zk.port(), "srvr");
    }
    return pcap;
  }

  @Test
  void aRealCaptureGivesTheSameReportAtEveryThreadCountAndCap() throws Exception {
    // given: a real capture with 3,000 distinct paths, and the reference captures
    Path real = recordCounterLoad("exact", 3_000);
    List<Path> inputs = new ArrayList<>(List.of(real));
    Path shared = Path.of(System.getProperty("zkdigest.shared"), "captures");
    try (var files = Files.list(shared)) {
      files.filter(f -> f.toString().endsWith(".pcap")).sorted().forEach(inputs::add);
    }
    for (Path f : inputs) {
      for (String cap : List.of("5000", "3")) {
        // when
        String one = replay(f, "--threads", "1", "--max-classes", cap);
        for (String threads : List.of("2", "3", "8")) {
          // then: byte for byte the same report
          assertThat(replay(f, "--threads", threads, "--max-classes", cap))
              .as("%s with %s threads, at most %s classes", f.getFileName(), threads, cap)
              .isEqualTo(one);
        }
      }
    }
    // and a generated capture with over 100,000 distinct paths, far past the cap on classes
    Path generated = dir.resolve("names.pcap");
    assertThat(
            Main.run(
                "generate",
                generated.toString(),
                "--size",
                "100m",
                "--sessions",
                "200",
                "--names",
                "100000"))
        .isZero();
    String one = replay(generated, "--threads", "1");
    assertThat(JSON.readTree(one).get("summary").get("classes_overflowed").asLong()).isPositive();
    for (String threads : List.of("2", "3", "8")) {
      assertThat(replay(generated, "--threads", threads)).as("%s threads", threads).isEqualTo(one);
    }
    // and the counters in znode names fold: one class per op and path shape
    JsonNode report = JSON.readTree(replay(real, "--threads", "2"));
    assertThat(report.get("summary").get("classes_overflowed").asLong()).isZero();
    List<String> patterns = new ArrayList<>();
    report
        .get("classes")
        .forEach(c -> patterns.add(c.get("op").asText() + " " + c.get("pattern").asText()));
    assertThat(patterns)
        .contains("create /exact-load/scratch/x{n}", "getData /exact-load/scratch/x{n}")
        .contains("exists /exact-load/n{n}");
  }

  @Test
  void fourLetterWordsOfAServerFoundByInferenceAreCounted() throws Exception {
    Tcpdump.requireCapture();
    Path pcap = dir.resolve("flw.pcap");
    Map<String, Long> asked = new TreeMap<>();
    long answered = 0;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1");
        Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + zk.port())) {
      // given: four-letter words before any client session (the server is learned from them),
      // a session, then more four-letter words
      for (String w : List.of("ruok", "mntr", "srvr", "ruok")) {
        answered += fourLetterWord(zk.port(), w);
        asked.merge(w, 1L, Long::sum);
      }
      ZooKeeper client = Workload.connect(zk.connectString());
      client.exists("/", false);
      client.close();
      for (String w : List.of("stat", "ruok")) {
        answered += fourLetterWord(zk.port(), w);
        asked.merge(w, 1L, Long::sum);
      }
    }
    // when: replayed without --port: the server's port is not the default one
    JsonNode report = JSON.readTree(replay(pcap));
    // then: every four-letter word and its answer, nothing ignored
    Map<String, Long> counted = new TreeMap<>();
    report
        .get("four_letter_words")
        .fields()
        .forEachRemaining(e -> counted.put(e.getKey(), e.getValue().asLong()));
    assertThat(counted).isEqualTo(asked);
    long answerBytes = 0;
    for (JsonNode n : report.get("four_letter_answer_bytes")) {
      answerBytes += n.asLong();
    }
    assertThat(answerBytes).isEqualTo(answered);
    assertThat(report.get("summary").get("ignored_flows").asLong()).isZero();
    assertThat(report.get("summary").get("ignored_bytes").asLong()).isZero();
    assertThat(report.get("ops").get("exists").get("requests").asLong()).isEqualTo(1);
  }

  @Test
  void mergedReportsEqualTheReportOfEverythingEvenPastTheCaps() throws Exception {
    // given: two real captures, each replayed on its own
    Path a = recordCounterLoad("alpha", 300);
    Path b = recordCounterLoad("beta", 300);
    for (String cap : List.of("5000", "4")) {
      Path ja = write("a.json", replay(a, "--max-classes", cap));
      Path jb = write("b.json", replay(b, "--max-classes", cap));
      // when
      String merged = run("merge", "--format", "json", ja.toString(), jb.toString());
      String both = replay(List.of(a, b), "--max-classes", cap);
      // then: the same report but for where it came from, and the quorum section, which merge
      // leaves out (README, Merge) and these client-only captures leave empty
      ObjectNode whole = (ObjectNode) JSON.readTree(both);
      assertThat(whole.at("/quorum/connections/election").asLong()).isZero();
      assertThat(whole.at("/quorum/connections/zab").asLong()).isZero();
      whole.remove("quorum");
      assertThat(withoutSource(merged))
          .as("at most %s classes", cap)
          .isEqualTo(withoutSource(whole.toString()));
    }
  }

  @Test
  void diffNamesTheClassesThatAppearedAndTheOneWhoseRateChanged() throws Exception {
    Tcpdump.requireCapture();
    Path before = dir.resolve("before.pcap");
    Path after = dir.resolve("after.pcap");
    var acl = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    String port;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      port = "" + zk.port();
      ZooKeeper client = Workload.connect(zk.connectString());
      client.create("/cfg", new byte[4], acl, CreateMode.PERSISTENT);
      // given: a steady reader of /cfg; after the change it reads ten times as often and polls
      // a new path too
      try (Tcpdump ignored = Tcpdump.start(before, "lo", 262144, "tcp port " + zk.port())) {
        // Paced by the sleeps, so both periods last about as long whatever the machine's load.
        for (int i = 0; i < 100; i++) {
          client.getData("/cfg", false, null);
          Thread.sleep(20);
        }
      }
      try (Tcpdump ignored = Tcpdump.start(after, "lo", 262144, "tcp port " + zk.port())) {
        for (int i = 0; i < 100; i++) {
          for (int k = 0; k < 10; k++) {
            client.getData("/cfg", false, null);
          }
          client.exists("/poll/me", false);
          Thread.sleep(20);
        }
      }
      client.close();
    }
    // The session began before either capture: its server is named, not inferred.
    Path jb = write("before.json", replay(before, "--port", port));
    Path ja = write("after.json", replay(after, "--port", port));
    // when
    JsonNode diff = JSON.readTree(run("diff", "--format", "json", jb.toString(), ja.toString()));
    // then
    Map<String, JsonNode> byClass = new TreeMap<>();
    diff.get("classes")
        .forEach(c -> byClass.put(c.get("op").asText() + " " + c.get("pattern").asText(), c));
    assertThat(byClass.get("exists /poll/me").get("change").asText()).isEqualTo("new");
    JsonNode cfg = byClass.get("getData /cfg");
    assertThat(cfg.get("change").asText()).isEqualTo("changed");
    assertThat(cfg.get("reasons").toString()).contains("calls");
    assertThat(cfg.get("after").get("requests").asLong()).isEqualTo(1000);
    assertThat(cfg.get("before").get("requests").asLong()).isEqualTo(100);
  }

  // ---- helpers ----

  private Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }

  private static String withoutSource(String json) throws Exception {
    ObjectNode n = (ObjectNode) JSON.readTree(json);
    n.remove("source");
    return n.toString();
  }

  private static String replay(Path file, String... extra) throws Exception {
    return replay(List.of(file), extra);
  }

  private static String replay(List<Path> files, String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of("replay", "--format", "json"));
    args.addAll(List.of(extra));
    files.forEach(f -> args.add(f.toString()));
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
