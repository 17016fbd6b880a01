package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --format html} from the command line: where it is written, and where it is refused. */
class HtmlFormatTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Calls per op in the page's profile ({@code --group-by op}), read from each row's data-v. */
  private static Map<String, Long> callsByOp(Document doc) {
    int calls = doc.selectFirst("table#profile th[data-key=calls]").elementSiblingIndex();
    int group = doc.selectFirst("table#profile th[data-key=group]").elementSiblingIndex();
    Map<String, Long> m = new TreeMap<>();
    for (Element row : doc.select("table#profile tbody tr")) {
      m.put(row.child(group).text(), Long.parseLong(row.child(calls).attr("data-v")));
    }
    return m;
  }

  @Test
  void replayWritesOnePageWhoseProfileCountsWhatTheCaptureHolds() throws Exception {
    // given: dump.pcap, whose requests the captures' README lists
    Path page = dir.resolve("dump.html");
    Result r =
        run(
            "replay",
            MainTest.shared("dump.pcap").toString(),
            "--format",
            "html",
            "--group-by",
            "op",
            "-o",
            page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String html = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(callsByOp(Jsoup.parse(html)))
        .isEqualTo(
            Map.of(
                "ping",
                3L,
                "exists",
                5L,
                "create",
                1L,
                "getChildren",
                2L,
                "getData",
                1L,
                "setData",
                1L));
  }

  @Test
  void mergeTurnsAJsonReportIntoThePageReplayWouldHaveWritten() throws Exception {
    Path json = dir.resolve("dump.json");
    Path direct = dir.resolve("direct.html");
    Path merged = dir.resolve("merged.html");
    String capture = MainTest.shared("dump.pcap").toString();
    assertThat(run("replay", capture, "--format", "json", "-o", json.toString()).code()).isZero();
    assertThat(run("replay", capture, "--format", "html", "-o", direct.toString()).code()).isZero();
    assertThat(run("merge", json.toString(), "--format", "html", "-o", merged.toString()).code())
        .isZero();
    Document a = Jsoup.parse(direct.toFile());
    Document b = Jsoup.parse(merged.toFile());
    assertThat(b.select("table#profile").outerHtml())
        .isEqualTo(a.select("table#profile").outerHtml());
    assertThat(b.select("#timeline").outerHtml()).isEqualTo(a.select("#timeline").outerHtml());
  }

  @Test
  void intervalReportsStayTextAndTheFinalOneIsThePage() throws Exception {
    Path page = dir.resolve("final.html");
    Result r =
        run(
            "replay",
            MainTest.shared("dump.pcap").toString(),
            "--format",
            "html",
            "--interval",
            "5s",
            "-o",
            page.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("# zkdigest ").doesNotContain("<html");
    assertThat(Files.readString(page, StandardCharsets.UTF_8)).startsWith("<!DOCTYPE html>");
  }

  @Test
  void diffAndAttachRefuseHtmlWithAUsageError() {
    Result diff = run("diff", "a.json", "b.json", "--format", "html");
    assertThat(diff.code()).isEqualTo(2);
    assertThat(diff.err().lines().findFirst().orElseThrow())
        .contains("diff writes text or json, not html");
    Result attach = run("attach", "1", "--format", "html");
    assertThat(attach.code()).isEqualTo(2);
    assertThat(attach.err().lines().findFirst().orElseThrow())
        .contains("--format html is not available with attach");
  }
}
