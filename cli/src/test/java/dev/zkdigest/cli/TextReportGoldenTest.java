package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The whole text report of the reference captures, against golden files kept beside this test
 * (src/test/resources/dev/zkdigest/cli/TextReportGoldenTest/). Each golden file was read by hand
 * against the counts in shared/captures/README.md (established by decoding every byte, not by
 * zkdigest) when it was written; a change to the report shows up here as a diff to review. To write
 * them again after a deliberate change: {@code mvn test -pl ... -Dtest=TextReportGoldenTest
 * -Dzkdigest.golden.update=true}, then read the diff.
 */
class TextReportGoldenTest {
  private static final boolean UPDATE = Boolean.getBoolean("zkdigest.golden.update");
  private static final Path GOLDEN =
      Path.of("src/test/resources/dev/zkdigest/cli/TextReportGoldenTest");

  /** The first line names the build (version and commit) and the file's absolute path. */
  private static final Pattern FIRST_LINE = Pattern.compile("(?m)^# zkdigest \\S+: replay of .*$");

  private static String replay(String capture, String... options) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> args = new ArrayList<>(List.of("replay", MainTest.shared(capture).toString()));
    args.addAll(List.of(options));
    int code = cl.execute(args.toArray(String[]::new));
    assertThat(code).as(err.toString()).isZero();
    return FIRST_LINE
        .matcher(out.toString())
        .replaceFirst("# zkdigest VERSION: replay of " + capture);
  }

  private static void assertGolden(String name, String actual) throws Exception {
    Path golden = GOLDEN.resolve(name + ".txt");
    if (UPDATE) {
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
    }
    assertThat(golden)
        .as("golden file %s (write it with -Dzkdigest.golden.update=true)", golden)
        .exists();
    assertThat(actual).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "dump",
        "cpp-basic",
        "multi",
        "reconfig",
        "auth",
        "connects",
        "fire_watches",
        "get_children_with_four_letter",
        "setwatches",
        "omni"
      })
  void wholeTextReportOfAReferenceCaptureIsTheReviewedOne(String name) throws Exception {
    assertGolden(name, replay(name + ".pcap"));
  }

  /** Calls per op in the profile rows of a report grouped by op. */
  private static Map<String, Long> callsByOp(String report) {
    Map<String, Long> calls = new TreeMap<>();
    Matcher m =
        Pattern.compile("(?m)^# +\\d+ +\\S+ +\\S+% +(\\d+) +\\S+ +\\S+ +\\d+  (\\S+)$")
            .matcher(report);
    while (m.find()) {
      calls.put(m.group(2), Long.parseLong(m.group(1)));
    }
    return calls;
  }

  @Test
  void groupByOpHasOneProfileRowPerOperationWithTheCapturesCounts() {
    // shared/captures/README.md: 3 ping, 5 exists, 1 create, 2 getChildren, 1 getData, 1 setData
    assertThat(callsByOp(replay("dump.pcap", "--group-by", "op")))
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
    // C client: 1 connect, 6 exists, 1 getChildren, 3 getData, 5 ping, 1 setData, and the create
    // of /godi20 the README omits (tshark's payload of frame 50; see SharedCapturesTest)
    Map<String, Long> cpp = new TreeMap<>();
    cpp.put("connect", 1L);
    cpp.put("create", 1L);
    cpp.put("exists", 6L);
    cpp.put("getChildren", 1L);
    cpp.put("getData", 3L);
    cpp.put("ping", 5L);
    cpp.put("setData", 1L);
    assertThat(callsByOp(replay("cpp-basic.pcap", "--group-by", "op"))).isEqualTo(cpp);
  }

  @Test
  void groupBySessionNamesEachHandshakesSessionAndKeepsTheRestInOneRow() {
    // README: three connections granted sessions 0x1001113200f0001, ...0002 and ...0003
    String bySession = replay("connect_replies.pcap", "--group-by", "session");
    assertThat(bySession)
        .contains("  0x1001113200f0001\n", "  0x1001113200f0002\n", "  0x1001113200f0003\n")
        .contains("# Session 1: 0x1001113200f000");
    // dump.pcap starts mid-session: its 13 requests have no session, and are not dropped
    String midSession = replay("dump.pcap", "--group-by", "session");
    assertThat(midSession).containsPattern("(?m)^# +1 .* 13 .* 3  - \\(handshake not seen\\)$");
  }

  @Test
  void groupByClientHasOneRowPerClientAddress() {
    String byClient = replay("dump.pcap", "--group-by", "client");
    assertThat(byClient).containsPattern("(?m)^# +1 .* 13 .* 3  127\\.0\\.0\\.1$");
    assertThat(byClient).contains("# Client 1: 127.0.0.1").doesNotContain("# Client 2:");
  }

  @Test
  void topLimitsTheDetailBlocksToTheFirstRanksOfTheProfile() {
    String all = replay("cpp-basic.pcap");
    String top2 = replay("cpp-basic.pcap", "--top", "2");
    List<String> ranks = profileLabels(all);
    assertThat(ranks).hasSizeGreaterThan(2);
    assertThat(profileLabels(top2)).isEqualTo(ranks);
    assertThat(top2).contains("# Class 1: " + ranks.get(0), "# Class 2: " + ranks.get(1));
    assertThat(top2).doesNotContain("# Class 3:");
    assertThat(all).contains("# Class 3: " + ranks.get(2));
  }

  private static List<String> profileLabels(String report) {
    List<String> labels = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?m)^# +\\d+ +\\S+ +\\S+% +\\d+ +\\S+ +\\S+ +\\d+  (.+)$").matcher(report);
    while (m.find()) {
      labels.add(m.group(1));
    }
    return labels;
  }
}
