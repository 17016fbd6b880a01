package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.zkdigest.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a real capture, opened in a real browser: ZooKeeper's Java client runs a mixed
 * workload, one class it sends far more often than any other, and reads of a path made to break out
 * of the page; tcpdump records it, {@code replay --format html} writes the page, and headless
 * chromium renders it. The page must log nothing to the console (no script error, no refused
 * resource), and its rendered DOM must hold the charts and the profile as the client counted it.
 */
class HtmlReportIT {
  /** Where the screenshot is kept for people to look at. */
  private static final Path KEPT = Path.of("target", "html-report");

  private static final String HOT = "/html/hot";
  private static final int HOT_WRITES = 150;

  /** A path that closes the page's tags if printed unescaped; it does not exist (NONODE). */
  private static final String HOSTILE = "/html/</script><script>alert(document.title)</script>";

  /** Enough failing reads of one class to make an error storm at the thresholds given below. */
  private static final int HOSTILE_READS = 25;

  /** The error storm's thresholds, given rather than defaulted so the test says what it needs. */
  private static final List<String> STORM =
      List.of("--threshold", "errors.count=20", "--threshold", "errors.rate=0.5");

  @TempDir static Path dir;

  private static Path page;
  private static JsonNode json;
  private static long hotWrites;
  private static long hostileNoNode;

  @BeforeAll
  static void recordAndReplay() throws Exception {
    Tcpdump.requireCapture();
    Chromium.require();
    Path pcap = dir.resolve("capture.pcap");
    int port;
    try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start("127.0.0.1")) {
      port = zk.port();
      try (Tcpdump ignored = Tcpdump.start(pcap, "lo", 262144, "tcp port " + port)) {
        ZooKeeper client = Workload.connect(zk.connectString());
        Workload mix = new Workload();
        mix.run(client, "/mix", 3);
        var acl = ZooDefs.Ids.OPEN_ACL_UNSAFE;
        client.create("/html", new byte[0], acl, CreateMode.PERSISTENT);
        client.create(HOT, new byte[0], acl, CreateMode.PERSISTENT);
        for (int i = 0; i < HOT_WRITES; i++) {
          client.setData(HOT, ("v" + i).getBytes(StandardCharsets.UTF_8), -1);
          hotWrites++;
        }
        for (int i = 0; i < HOSTILE_READS; i++) {
          try {
            client.getData(HOSTILE, false, null);
          } catch (KeeperException.NoNodeException e) {
            hostileNoNode++;
          }
        }
        mix.close(client);
      }
    }
    List<String> portArgs = List.of("--port", "" + port);
    page = dir.resolve("report.html");
    List<String> htmlArgs = new ArrayList<>(portArgs);
    htmlArgs.addAll(STORM);
    replay(page, htmlArgs, pcap);
    json = Replay.json(portArgs, pcap);
  }

  private static void replay(Path html, List<String> extra, Path pcap) throws Exception {
    List<String> args =
        new ArrayList<>(List.of("replay", "--format", "html", "-o", html.toString()));
    args.addAll(extra);
    args.add(pcap.toString());
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.run(args.toArray(new String[0]));
    } finally {
      System.setErr(old);
    }
    assertThat(code).as("exit code; stderr: %s", err).isZero();
  }

  private static Document rendered(String fragment) throws Exception {
    Chromium.Run run = Chromium.dumpDom(page, fragment, dir);
    assertThat(run.console()).as("console messages of the page").isEmpty();
    return Jsoup.parse(run.stdout());
  }

  /** The profile's rows as the browser shows them: class label, then the row's cells by key. */
  private static List<Element> profileRows(Document doc) {
    return doc.select("table#profile tbody tr");
  }

  private static Element cell(Document doc, Element row, String key) {
    Element th = doc.selectFirst("table#profile th[data-key=" + key + "]");
    assertThat(th).as("profile column %s", key).isNotNull();
    return row.child(th.elementSiblingIndex());
  }

  @Test
  void rendersChartsAndTheTopClassWithoutAConsoleMessage() throws Exception {
    Document doc = rendered("");
    assertThat(doc.select("#latency svg.ranges")).hasSize(1);
    int classes = json.get("classes").size();
    assertThat(doc.select("#latency svg.histogram")).hasSize(Math.min(10, classes));
    assertThat(doc.select("svg rect").size()).isPositive();
    // the timeline: overall, then each of the top five classes, charted or said not to be kept
    Element timeline = doc.selectFirst("#timeline");
    assertThat(timeline.select("svg.timeline").first().select("rect.requests")).isNotEmpty();
    List<String> charted = timeline.select("h3").eachText();
    assertThat(timeline.select("svg.timeline")).hasSize(1 + charted.size());
    for (int i = 0; i < Math.min(5, classes); i++) {
      JsonNode c = json.get("classes").get(i);
      String name = c.get("op").asText() + " " + c.get("pattern").asText();
      assertThat(charted.contains(name) || timeline.select("p.none").text().contains(name))
          .as("%s in the timeline", name)
          .isTrue();
    }
    // the first row is the class with the most total time, as the JSON report of the same replay
    JsonNode top = json.get("classes").get(0);
    String topClass = top.get("op").asText() + " " + top.get("pattern").asText();
    Element first = profileRows(doc).get(0);
    assertThat(cell(doc, first, "group").text()).isEqualTo(topClass);
    assertThat(profileRows(doc)).hasSize(classes);
  }

  @Test
  void sortedByCallsTheClientsBusiestClassComesFirstWithItsCount() throws Exception {
    Document doc = rendered("#sort=profile:calls");
    Element first = profileRows(doc).get(0);
    assertThat(cell(doc, first, "group").text()).isEqualTo("setData " + HOT);
    assertThat(cell(doc, first, "calls").attr("data-v")).isEqualTo(Long.toString(hotWrites));
    assertThat(doc.selectFirst("table#profile th[data-key=calls]").attr("aria-sort"))
        .isEqualTo("descending");
    // every row, in descending order of calls
    List<Long> calls = new ArrayList<>();
    for (Element r : profileRows(doc)) {
      calls.add(Long.parseLong(cell(doc, r, "calls").attr("data-v")));
    }
    assertThat(calls).isSortedAccordingTo((a, b) -> Long.compare(b, a));
  }

  @Test
  void clickingAHeadingSortsByItAndClickingAgainReverses() throws Exception {
    // given the page as opened; when the Calls heading is clicked twice, reading the rows after
    // each click
    String script =
        "var t = document.getElementById('profile');"
            + " var th = t.querySelector('th[data-key=calls]');"
            + " var col = th.cellIndex;"
            + " var group = t.querySelector('th[data-key=group]').cellIndex;"
            + " function rows() { return Array.prototype.map.call(t.tBodies[0].rows,"
            + "   function (r) { return [r.cells[group].textContent,"
            + "     Number(r.cells[col].getAttribute('data-v'))]; }); }"
            + " th.querySelector('button').click(); var first = rows();"
            + " var firstSort = th.getAttribute('aria-sort');"
            + " th.querySelector('button').click();"
            + " return {first: first, firstSort: firstSort, second: rows(),"
            + "   secondSort: th.getAttribute('aria-sort')};";
    Chromium.Run run = Chromium.evaluate(page, script, dir);
    assertThat(run.console()).isEmpty();
    JsonNode r = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.stdout());
    // then: the busiest class as the client counted it first, then last
    assertThat(r.get("firstSort").asText()).isEqualTo("descending");
    assertThat(r.get("first").get(0).get(0).asText()).isEqualTo("setData " + HOT);
    assertThat(r.get("first").get(0).get(1).asLong()).isEqualTo(hotWrites);
    assertThat(r.get("secondSort").asText()).isEqualTo("ascending");
    JsonNode second = r.get("second");
    assertThat(second.get(second.size() - 1).get(0).asText()).isEqualTo("setData " + HOT);
    List<Long> calls = new ArrayList<>();
    second.forEach(row -> calls.add(row.get(1).asLong()));
    assertThat(calls).isSorted();
    assertThat(second.size()).isEqualTo(json.get("classes").size());
  }

  @Test
  void aPathMadeToBreakOutOfThePageIsShownAsText() throws Exception {
    Document doc = rendered("");
    assertThat(doc.select("script")).as("the page's own script only").hasSize(1);
    Element row =
        profileRows(doc).stream()
            .filter(r -> cell(doc, r, "group").text().startsWith("getData /html/</script>"))
            .findFirst()
            .orElseThrow();
    assertThat(cell(doc, row, "group").text()).isEqualTo("getData " + HOSTILE);
    assertThat(cell(doc, row, "errors").attr("data-v")).isEqualTo(Long.toString(hostileNoNode));
    assertThat(doc.title()).startsWith("zkdigest ");
  }

  @Test
  void theFindingComesFirstAndNamesTheFailingClass() throws Exception {
    Document doc = rendered("");
    Element findings = doc.selectFirst("#findings");
    Element storm =
        findings.select(".finding").stream()
            .filter(f -> f.selectFirst(".kind").text().startsWith("error_storm"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no error_storm in " + findings.text()));
    assertThat(storm.select("dd").eachText()).contains("getData " + HOSTILE);
    // before the timeline and the profile: on the first screen
    assertThat(findings.elementSiblingIndex())
        .isLessThan(doc.selectFirst("#timeline").elementSiblingIndex());
    assertThat(doc.select("main > section").first()).isSameAs(findings);
  }

  @Test
  void aScreenshotIsTaken() throws Exception {
    Files.createDirectories(KEPT);
    Path png = KEPT.resolve("report.png");
    Files.deleteIfExists(png);
    Chromium.Run run = Chromium.screenshot(page, png, dir);
    assertThat(run.console()).isEmpty();
    byte[] head = Files.readAllBytes(png);
    assertThat(head.length).isGreaterThan(1000);
    assertThat(new String(head, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    Files.copy(
        page, KEPT.resolve("report.html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
