package dev.zkdigest.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  /** 2024-01-02T03:04:05Z: fixed, so the golden file is too. */
  private static final long T0 = 1_704_164_645_000_000_000L;

  private static final String SCRIPT_PATH = "/app/</script><script>alert(x)</script>";
  private static final String QUOTE_PATH = "/q\"uo'te/<b>bold</b>&amp;/caf\u00e9";
  private static final String HOSTILE_USER = "bob<svg onload=alert(3)>";
  private static final String HOSTILE_CLIENT = "10.0.0.9\"><img src=https://evil.example/x>";

  /** Attributes through which a page loads something or goes somewhere. */
  private static final Set<String> URL_ATTRIBUTES =
      Set.of(
          "src",
          "href",
          "xlink:href",
          "action",
          "formaction",
          "data",
          "poster",
          "srcset",
          "background",
          "manifest",
          "ping",
          "codebase",
          "cite",
          "longdesc");

  private static final ReportOptions OPTS =
      new ReportOptions("replay", List.of("small.pcap"), 2, GroupBy.PATTERN);

  private static int xid;

  private static void exchange(
      Digest d, ConnectionMeta conn, Op op, String path, int err, long startUs, long latencyUs) {
    long t = T0 + startUs * 1_000;
    ZkRequest r = new ZkRequest(++xid, op, path, RequestBody.None.INSTANCE, 40, t, true);
    d.bytes(conn, Direction.CLIENT_TO_SERVER, 40, t);
    d.request(conn, 0x100, r);
    long end = t + latencyUs * 1_000;
    d.bytes(conn, Direction.SERVER_TO_CLIENT, 24, end);
    d.exchange(conn, 0x100, r, new ZkReply(xid, 7, err, ReplyBody.None.INSTANCE, 24, end, true));
  }

  /** Two clients, three classes (two of them with hostile paths), an error and an event. */
  static DigestSnapshot small() {
    xid = 0;
    Digest d = new Digest(Digest.Limits.DEFAULTS.withSessions(100));
    ConnectionMeta a = new ConnectionMeta(1, "10.0.0.1", 40000, "10.0.0.2", 2181, T0, true);
    ConnectionMeta b = new ConnectionMeta(2, HOSTILE_CLIENT, 40001, "10.0.0.2", 2181, T0, true);
    d.opened(a);
    d.opened(b);
    for (int i = 0; i < 6; i++) {
      exchange(d, a, Op.GET_DATA, "/app/config", 0, i * 1_000_000L, 150 + 40 * i);
    }
    long t = T0 + 6_500_000_000L;
    ZkRequest auth =
        new ZkRequest(
            -4, Op.AUTH, null, new RequestBody.Auth(0, "digest", 20, HOSTILE_USER), 40, t, true);
    d.request(b, 0x100, auth);
    d.exchange(
        b, 0x100, auth, new ZkReply(-4, 0, 0, ReplyBody.None.INSTANCE, 16, t + 100_000, true));
    exchange(d, b, Op.GET_DATA, SCRIPT_PATH, KeeperErrors.NONODE, 7_000_000L, 900);
    exchange(d, b, Op.SET_DATA, QUOTE_PATH, 0, 8_000_000L, 12_000);
    d.event(a, 0x100, new WatchEvent(3, 3, "/app/config", 30, T0 + 9_000_000_000L));
    return d.snapshot();
  }

  private static String render(DigestSnapshot s, List<Finding> findings) {
    StringWriter w = new StringWriter();
    HtmlReport.render(s, OPTS, findings, List.of(), new PrintWriter(w));
    return w.toString();
  }

  private static Finding hostileFinding() {
    return new Finding(
        Finding.Kind.HOT_ZNODE,
        Finding.Severity.WARNING,
        "1 write to " + QUOTE_PATH + " </div></section><script>alert(2)</script>",
        new Finding.Evidence(
            "setData " + QUOTE_PATH,
            QUOTE_PATH,
            List.of(HOSTILE_CLIENT),
            List.of("0x100"),
            1,
            T0,
            T0 + 8_000_000_000L,
            new Finding.Example(T0 + 8_000_000_000L, HOSTILE_CLIENT, 0x100, 8)),
        "Spread writes over <more> znodes");
  }

  @Test
  void hostilePathsAndClientsAreTextNotMarkup() {
    String html = render(small(), List.of(hostileFinding()));
    // ASCII whatever the output's encoding: the rest are character references
    assertThat(html).matches("\\p{ASCII}*");
    Document doc = Jsoup.parse(html);
    // the page's own script and nothing else
    assertThat(doc.select("script")).hasSize(1);
    assertThat(doc.select("script").first().data()).isEqualTo(HtmlPage.SCRIPT);
    assertThat(doc.select("img, b, link, iframe, object, embed")).isEmpty();
    for (Element e : doc.getAllElements()) {
      for (Attribute a : e.attributes()) {
        assertThat(a.getKey()).as("event handler on <%s>", e.tagName()).doesNotStartWith("on");
      }
    }
    // and every hostile string reads back as itself
    String text = doc.text();
    assertThat(text).contains(SCRIPT_PATH, QUOTE_PATH, HOSTILE_CLIENT);
    assertThat(text).contains("</div></section><script>alert(2)</script>");
    assertThat(doc.select("table#profile td").eachText()).contains("getData " + SCRIPT_PATH);
    assertThat(doc.select("table#clients td").eachText()).contains(HOSTILE_CLIENT);
    assertThat(doc.select("table#identities td").eachText()).contains("digest:" + HOSTILE_USER);
    assertThat(doc.select("svg")).allMatch(svg -> svg.hasClass("chart"));
  }

  @Test
  void referencesNoResourceOutsideThePage() {
    Document doc = Jsoup.parse(render(small(), List.of(hostileFinding())));
    for (Element e : doc.getAllElements()) {
      for (Attribute a : e.attributes()) {
        if (URL_ATTRIBUTES.contains(a.getKey().toLowerCase(Locale.ROOT))) {
          assertThat(a.getValue())
              .as("%s of <%s>", a.getKey(), e.tagName())
              .doesNotContainIgnoringCase("http:")
              .doesNotContainIgnoringCase("https:")
              .doesNotStartWith("//");
        }
      }
    }
    assertThat(doc.select("link, img, iframe, object, embed, base, use")).isEmpty();
    String style = doc.select("style").html();
    assertThat(style).doesNotContainIgnoringCase("url(").doesNotContainIgnoringCase("@import");
    String policy = doc.select("meta[http-equiv=Content-Security-Policy]").attr("content");
    assertThat(policy).startsWith("default-src 'none';").doesNotContain("unsafe");
  }

  @Test
  void drawsALatencyChartPerTopClassAndTheirRanges() {
    Document doc = Jsoup.parse(render(small(), List.of()));
    // --top 2: the range chart and one histogram per top class
    assertThat(doc.select("#latency svg.histogram")).hasSize(2);
    assertThat(doc.select("#latency svg.ranges")).hasSize(1);
    assertThat(doc.select("#latency svg.ranges text.label").eachText())
        .containsExactly("setData " + QUOTE_PATH, "getData /app/config");
    // the profile's first row is the class with the most total time
    assertThat(doc.select("table#profile tbody tr").first().select("td").last().text())
        .isEqualTo("setData " + QUOTE_PATH);
  }

  @Test
  void drawsTheTimelineOverallAndForTheTopClasses() {
    DigestSnapshot s = small();
    Document doc = Jsoup.parse(render(s, List.of()));
    int buckets = s.timeline().buckets().size();
    assertThat(buckets).isGreaterThan(1);
    // the overall chart, then one per class (four: auth is one)
    assertThat(s.classes()).hasSize(4);
    assertThat(doc.select("#timeline svg.timeline")).hasSize(1 + 4);
    Element overall = doc.select("#timeline svg.timeline").first();
    // a bar per non-empty bucket, and a p99 mark on each of them: dots for lone buckets, lines
    // through runs
    long nonEmpty = s.timeline().buckets().stream().filter(b -> b.requests() > 0).count();
    assertThat(overall.select("rect.requests")).hasSize((int) nonEmpty);
    int marks = overall.select("circle.p99").size();
    for (Element line : overall.select("polyline.p99")) {
      marks += line.attr("points").split(" ").length;
    }
    assertThat(marks).isEqualTo(nonEmpty);
  }

  @Test
  void noFindingsIsSaidInAClearLine() {
    Document doc = Jsoup.parse(render(small(), List.of()));
    assertThat(doc.select("#findings p.none").text()).startsWith("No findings");
  }

  @Test
  void emptySnapshotRendersEverySection() {
    Document doc = Jsoup.parse(render(DigestSnapshot.empty(Digest.Limits.DEFAULTS), List.of()));
    assertThat(doc.select("dl.facts dd").first().text()).isEqualTo("no traffic seen");
    assertThat(doc.select("#profile-section p.none").text()).isEqualTo("No requests.");
    assertThat(doc.select("#clients-section p.none").text()).isEqualTo("No clients.");
  }

  @Test
  void matchesTheGoldenFile() throws Exception {
    String actual =
        render(small(), List.of(hostileFinding())).replace(ReportOptions.VERSION, "VERSION");
    Path golden = Path.of("src/test/resources/HtmlReportTest/small.html");
    if (Boolean.getBoolean("zkdigest.updateGolden")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
