package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user meets it: exit codes and one-line messages, never a trace. */
class MainTest {
  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    return run(Main.commandLine(), args);
  }

  private static Result run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  static Path shared(String name) {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.isDirectory(p.resolve("shared/captures"))) {
      p = p.getParent();
    }
    return p.resolve("shared/captures").resolve(name);
  }

  private static void assertOneLineError(Result r, int code, String text) {
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).contains(text).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aSubcommandBuiltAloneHelpsAndFailsAsUnderTheWholeCommand() {
    var whole = Main.commandLine().getSubcommands();
    assertThat(whole).hasSize(8);
    for (String name : whole.keySet()) {
      assertThat(Main.subcommand(name)).isInstanceOf(whole.get(name).getCommand().getClass());
      for (String[] args :
          new String[][] {{name, "--help"}, {name, "--no-such-option"}, {name, "a", "b", "c"}}) {
        Result alone = run(Main.commandLine(args), args);
        assertThat(alone).as(String.join(" ", args)).isEqualTo(run(args));
      }
    }
    assertThat(Main.subcommand("nope")).isNull();
    assertThat(Main.commandLine("--version").getSubcommands()).hasSize(8);
  }

  @Test
  void missingFile() {
    assertOneLineError(run("replay", dir.resolve("nope.pcap").toString()), 1, "no such file");
  }

  @Test
  void directoryEmptyFileAndNotACapture() throws Exception {
    assertOneLineError(run("replay", dir.toString()), 1, "is a directory");
    Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
    assertOneLineError(run("replay", empty.toString()), 1, "empty file");
    Path text = Files.writeString(dir.resolve("x.pcap"), "GET / HTTP/1.1\r\n\r\n");
    assertOneLineError(run("replay", text.toString()), 1, "not a pcap or pcapng file");
  }

  @Test
  void truncatedCaptureReportsWhatWasReadThenWarns() throws Exception {
    byte[] whole = Files.readAllBytes(shared("dump.pcap"));
    Path cut = Files.write(dir.resolve("cut.pcap"), Arrays.copyOf(whole, whole.length - 30));
    Result r = run("replay", cut.toString(), "--format", "json");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"exists\"");
    assertThat(r.err().lines())
        .singleElement()
        .asString()
        .contains("warning")
        .contains("truncated");
  }

  @Test
  void mergeAndDiffRefuseWhatIsNotAReportInOneLine() throws Exception {
    assertOneLineError(run("merge", dir.resolve("nope.json").toString()), 1, "no such file");
    Path notJson = Files.writeString(dir.resolve("x.json"), "{\"format\": 1, ");
    assertOneLineError(run("merge", notJson.toString()), 1, "not JSON");
    Path other = Files.writeString(dir.resolve("y.json"), "{\"name\": \"zk\"}");
    assertOneLineError(run("diff", other.toString(), other.toString()), 1, "not a zkdigest");
    Path future = Files.writeString(dir.resolve("z.json"), "{\"format\": 9, \"summary\": {}}");
    assertOneLineError(run("merge", future.toString()), 1, "format 9");
    Path text = dir.resolve("t.txt");
    assertThat(run("replay", shared("dump.pcap").toString(), "-o", text.toString()).code())
        .isZero();
    assertOneLineError(run("merge", text.toString()), 1, "not JSON");
  }

  @Test
  void aReportMergedWithItselfCountsEverythingTwice() throws Exception {
    // given: one report of a reference capture (13 requests, 13 replies: its README)
    Path a = dir.resolve("a.json");
    assertThat(
            run("replay", shared("dump.pcap").toString(), "--format", "json", "-o", a.toString())
                .code())
        .isZero();
    // when
    Result r = run("merge", a.toString(), a.toString(), "--format", "json");
    // then
    assertThat(r.code()).isZero();
    var merged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(merged.get("summary").get("requests").asLong()).isEqualTo(26);
    assertThat(merged.get("summary").get("responses").asLong()).isEqualTo(26);
    assertThat(merged.get("ops").get("exists").get("latency_us").get("p50").asLong())
        .as("the same distribution twice has the same percentiles")
        .isEqualTo(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(a.toFile())
                .get("ops")
                .get("exists")
                .get("latency_us")
                .get("p50")
                .asLong());
  }

  @Test
  void captureWithNoPacketsSaysSo() throws Exception {
    byte[] whole = Files.readAllBytes(shared("dump.pcap"));
    Path headerOnly = Files.write(dir.resolve("hdr.pcap"), Arrays.copyOf(whole, 24));
    assertOneLineError(run("replay", headerOnly.toString()), 1, "no packets in");
  }

  @Test
  void unknownLinkTypeIsNamed() throws Exception {
    byte[] whole = Files.readAllBytes(shared("dump.pcap"));
    ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 147);
    Path odd = Files.write(dir.resolve("odd.pcap"), whole);
    assertOneLineError(run("replay", odd.toString()), 1, "link type 147 is not supported");
  }

  @Test
  void outputOntoTheCaptureItselfIsRefused() throws Exception {
    Path copy = Files.copy(shared("dump.pcap"), dir.resolve("c.pcap"));
    byte[] before = Files.readAllBytes(copy);
    Result r = run("replay", copy.toString(), "-o", copy.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(Files.readAllBytes(copy)).isEqualTo(before);
  }

  @Test
  void replaysFromAFifo() throws Exception {
    Path fifo = dir.resolve("capture.fifo");
    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mk.waitFor()).isZero();
    byte[] bytes = Files.readAllBytes(shared("dump.pcap"));
    Thread writer =
        new Thread(
            () -> {
              try (var out = Files.newOutputStream(fifo)) {
                out.write(bytes);
              } catch (Exception e) {
                throw new RuntimeException(e);
              }
            });
    writer.start();
    Result r = run("replay", fifo.toString(), "--format", "json");
    writer.join(10_000);
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"exists\"");
  }

  @Test
  void absurdSnaplenInTheHeaderIsHarmless() throws Exception {
    byte[] whole = Files.readAllBytes(shared("dump.pcap"));
    ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).putInt(16, Integer.MAX_VALUE);
    Path odd = Files.write(dir.resolve("snap.pcap"), whole);
    Result r = run("replay", odd.toString(), "--format", "json");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\"requests\":13");
  }

  @Test
  void metricsOnANonLoopbackAddressWarns() {
    Result r =
        run(
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "127.0.0.1:1",
            "--metrics",
            "0.0.0.0:0",
            "--duration",
            "1s",
            "--format",
            "json");
    assertThat(r.code()).isZero();
    assertThat(r.err()).contains("warning: metrics are served on 0.0.0.0");
    assertThat(r.out()).contains("\"mode\":\"proxy\"");
  }

  /** Exit 2 and one line with the reason. */
  private static void assertUsageError(Result r, String reason) {
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines()).singleElement().asString().startsWith("zkdigest: " + reason);
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void tlsOptionsApplyToTheRouteBeforeThemAndOnlyOnce() {
    String route = "0=127.0.0.1:1";
    assertUsageError(
        run("proxy", "--tls-cert", "x.pem", "--listen", "0", "--upstream", "127.0.0.1:1"),
        "--tls-cert applies to the --listen or --route before it; give it after one");
    assertUsageError(
        run(
            "proxy",
            "--route",
            route,
            "--tls-cert",
            "a.pem",
            "--route",
            route,
            "--tls-cert",
            "b",
            "--tls-cert",
            "c"),
        "--tls-cert is given twice for --route " + route);
    assertUsageError(
        run("proxy", "--route", route, "--upstream-ca", "ca.pem"),
        "--upstream-ca is for a TLS upstream: add --upstream-tls (on --route " + route + ")");
    assertUsageError(
        run("proxy", "--route", route, "--tls-key", "k.pem"),
        "TLS towards clients needs --tls-cert (on --route " + route + ")");
    assertUsageError(
        run("proxy", "--route", route, "--upstream-tls", "--upstream-key", "k.pem"),
        "--upstream-key needs --upstream-cert (on --route " + route + ")");
    assertThat(run("proxy", "--route", route, "--tls-engine", "boring").code()).isEqualTo(2);
  }

  @Test
  void anUnreadableCertificateIsOneLineAndExitCodeOne() {
    Path missing = dir.resolve("missing.pem");
    assertOneLineError(
        run(
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            "127.0.0.1:1",
            "--tls-cert",
            missing.toString(),
            "--tls-key",
            missing.toString()),
        1,
        "zkdigest: --tls-cert " + missing + ": no such file");
  }

  @Test
  void badUsageExitsTwoWithOneLine() {
    assertUsageError(run("replay"), "");
    assertUsageError(run("replay", "x.pcap", "--group-by", "colour"), "");
    assertUsageError(run("proxy", "--listen", "1234"), "");
    assertUsageError(run("replay", "x.pcap", "--servers", "nohostport"), "");
    assertUsageError(run("replay", "x.pcap", "--max-connections", "0"), "");
    assertUsageError(run("replay", "x.pcap", "--threads", "0"), "");
    assertUsageError(run("replay", "x.pcap", "--bogus"), "Unknown option: '--bogus'");
    assertThat(run("replay", "x.pcap", "--bogus").err())
        .isEqualTo("zkdigest: Unknown option: '--bogus' (see 'zkdigest replay --help')\n");
  }

  @Test
  void connectionCapEvictsAndEveryThreadCountAgrees() throws Exception {
    // given: 60 sessions opened at once, more than the cap of 20 connections
    Path f = dir.resolve("many.pcap");
    dev.zkdigest.capture.SyntheticCapture.Summary written =
        dev.zkdigest.capture.SyntheticCapture.write(
            f, new dev.zkdigest.capture.SyntheticCapture.Options(2 << 20, 60, 4));
    for (String threads : new String[] {"1", "2", "3"}) {
      // when
      Result r =
          run(
              "replay",
              f.toString(),
              "--max-connections",
              "20",
              "--threads",
              threads,
              "--format",
              "json");
      // then: the least recently active are closed and counted, and no request is lost
      assertThat(r.code()).isZero();
      com.fasterxml.jackson.databind.JsonNode j =
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
      assertThat(j.at("/capture/connections_evicted").asLong()).as(threads).isPositive();
      assertThat(j.at("/summary/requests").asLong()).isEqualTo(written.requests());
      assertThat(j.at("/summary/decode_errors").asLong()).isZero();
    }
  }

  @Test
  void seedStyleFlagsStillWork() {
    Result summary = run("-r", shared("multi.pcap").toString(), "--summary");
    assertThat(summary.code()).isZero();
    assertThat(summary.out()).contains("# Profile").contains("multi /foo");
    Result show = run("-r", shared("multi.pcap").toString(), "--show");
    assertThat(show.out())
        .contains("xid=5 multi [create /foo, setData /foo] OK [OK, OK]")
        .doesNotContain("# Profile");
  }

  @Test
  void seedStyleInterfaceFlagGoesToSniff() {
    Result r = run("-i", "nosuchif0", "--servers", "localhost:2181", "--summary");
    assertOneLineError(r, 1, "zkdigest: ");
    // Whatever this machine lacks (the interface, libpcap, permission), it is named in one line.
    assertThat(r.err()).containsAnyOf("no such interface: nosuchif0", "libpcap", "permission");
  }

  @Test
  void jsonReportHasTheDocumentedContract() throws Exception {
    Result r = run("replay", shared("dump.pcap").toString(), "--format", "json");
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(json.get("format").asInt()).isEqualTo(1);
    assertThat(json.get("source").get("mode").asText()).isEqualTo("replay");
    for (String k :
        new String[] {
          "first_seen",
          "last_seen",
          "duration_s",
          "connections",
          "sessions",
          "clients",
          "requests",
          "responses",
          "events",
          "errors",
          "bytes_from_clients",
          "bytes_from_servers",
          "unmatched_responses",
          "pending_requests",
          "decode_errors",
          "four_letter_words"
        }) {
      assertThat(json.get("summary").has(k)).as(k).isTrue();
    }
    var exists = json.get("ops").get("exists");
    // Not from our output: `tshark -r dump.pcap -T fields -e tcp.dstport -e tcp.payload
    // 'tcp.len>0'`, headers read by hand: exists with xids 6, 8, 10, 12 and 14, and the replies to
    // xids 6, 8 and 12 carry err -101 (NONODE). SharedCapturesCrossCheckTest does the same reading
    // mechanically for every reference capture.
    assertThat(exists.get("requests").asLong()).isEqualTo(5);
    assertThat(exists.get("errors").get("NONODE").asLong()).isEqualTo(3);
    for (String k : new String[] {"min", "p50", "p95", "p99", "p999", "max", "mean", "sum"}) {
      assertThat(exists.get("latency_us").has(k)).as(k).isTrue();
    }
    assertThat(json.get("events").get("NodeDataChanged").asLong()).isEqualTo(1);
    assertThat(json.get("classes").get(0).has("time_share")).isTrue();
    assertThat(json.get("clients").get(0).get("address").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void credentialsAreRedactedInEveryOutput() {
    for (String[] args :
        new String[][] {
          {"replay", shared("auth.pcap").toString(), "--show", "--summary"},
          {"replay", shared("auth.pcap").toString(), "--format", "json"},
          {"replay", shared("auth.pcap").toString(), "--group-by", "client"},
          {"replay", shared("auth.pcap").toString(), "--show", "--format", "json"}
        }) {
      Result r = run(args);
      assertThat(r.out() + r.err()).doesNotContain("tacos:tacos");
    }
  }

  @Test
  void showAsJsonLinesWritesOneObjectPerMessageAndNoReport() throws Exception {
    // given: dump.pcap, whose messages the captures' README lists
    Result r = run("replay", shared("dump.pcap").toString(), "--show", "--format", "json");

    // then: one JSON object per line, 13 exchanges by op and one event, nothing else
    assertThat(r.code()).as(r.err()).isZero();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.Map<String, Integer> byOp = new java.util.TreeMap<>();
    java.util.List<String> events = new java.util.ArrayList<>();
    for (String line : r.out().lines().toList()) {
      var json = mapper.readTree(line);
      assertThat(json.get("time").asText()).startsWith("2015-06-25T");
      assertThat(json.get("client").asText()).isEqualTo("127.0.0.1:60446");
      switch (json.get("type").asText()) {
        case "exchange" -> {
          byOp.merge(json.get("op").asText(), 1, Integer::sum);
          assertThat(json.has("xid") && json.has("result") && json.has("latency_us")).isTrue();
          assertThat(json.get("request_bytes").asInt()).isPositive();
          assertThat(json.get("response_bytes").asInt()).isPositive();
        }
        case "event" -> events.add(json.get("event").asText() + " " + json.get("path").asText());
        default -> throw new AssertionError("unexpected line " + line);
      }
    }
    assertThat(byOp)
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(
                "ping", 3, "exists", 5, "create", 1, "getChildren", 2, "getData", 1, "setData", 1));
    assertThat(events).containsExactly("NodeDataChanged /dknightly");
  }

  @Test
  void showAsJsonLinesCarriesTheOpSpecificFields() throws Exception {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    // multi.pcap: a multi of create /foo and setData /foo, both sub-results OK
    var multi =
        run("replay", shared("multi.pcap").toString(), "--show", "--format", "json")
            .out()
            .lines()
            .map(l -> readTree(mapper, l))
            .filter(j -> j.path("op").asText().equals("multi"))
            .findFirst()
            .orElseThrow();
    assertThat(multi.get("ops").toString())
        .isEqualTo(
            "[{\"op\":\"create\",\"path\":\"/foo\"},{\"op\":\"setData\",\"path\":\"/foo\"}]");
    assertThat(multi.get("results").toString()).isEqualTo("[\"OK\",\"OK\"]");
    // auth.pcap: scheme digest, credentials tacos:tacos (11 bytes), only their length is written
    var auth =
        mapper.readTree(
            run("replay", shared("auth.pcap").toString(), "--show", "--format", "json")
                .out()
                .lines()
                .findFirst()
                .orElseThrow());
    assertThat(auth.get("op").asText()).isEqualTo("auth");
    assertThat(auth.get("scheme").asText()).isEqualTo("digest");
    assertThat(auth.get("credential_bytes").asInt()).isEqualTo("tacos:tacos".length());
  }

  @Test
  void intervalReportsFollowCaptureTime() throws Exception {
    // dump.pcap spans 15.8 s of capture time: three whole 5 s intervals end within it, and the
    // total at the end counts all 13 requests the captures' README lists
    Result r =
        run("replay", shared("dump.pcap").toString(), "--interval", "5s", "--format", "json");
    assertThat(r.code()).as(r.err()).isZero();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var reports = r.out().lines().map(l -> readTree(mapper, l)).toList();
    assertThat(reports).hasSize(4);
    long inIntervals = 0;
    for (var report : reports.subList(0, 3)) {
      assertThat(report.get("source").get("mode").asText())
          .isEqualTo("replay (interval 5s of capture time)");
      inIntervals += report.get("summary").get("requests").asLong();
    }
    var total = reports.get(3);
    assertThat(total.get("source").get("mode").asText()).isEqualTo("replay");
    assertThat(total.get("summary").get("requests").asLong()).isEqualTo(13);
    // the last interval is still open at the end of the capture: it is in the total only
    assertThat(inIntervals).isBetween(1L, 13L);
  }

  @Test
  void standardInputMustBeTheOnlyCapture() {
    assertOneLineError(
        run("replay", "-", shared("dump.pcap").toString()), 2, "must be the only capture");
  }

  @Test
  void versionIsTheProjectVersionAndTheGitCommitEverywhere() throws Exception {
    // expected: the version in the root pom.xml and the commit git itself names
    Path checkout = Path.of("").toAbsolutePath().getParent();
    String pom = Files.readString(checkout.resolve("pom.xml"));
    String projectVersion =
        pom.replaceFirst("(?s).*?<artifactId>zkdigest-parent</artifactId>\\s*<version>", "")
            .replaceFirst("(?s)</version>.*", "");
    Process git =
        new ProcessBuilder("git", "-C", checkout.toString(), "rev-parse", "--short=7", "HEAD")
            .start();
    String commit = new String(git.getInputStream().readAllBytes()).strip();
    assertThat(git.waitFor()).as("git rev-parse in " + checkout).isZero();
    String expected = projectVersion + "+" + commit;

    assertThat(run("--version").out().strip()).isEqualTo("zkdigest " + expected);
    assertThat(run("replay", shared("dump.pcap").toString()).out())
        .startsWith("# zkdigest " + expected + ": replay of");
    var json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(run("replay", shared("dump.pcap").toString(), "--format", "json").out());
    assertThat(json.get("version").asText()).isEqualTo(expected);
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(
      com.fasterxml.jackson.databind.ObjectMapper mapper, String line) {
    try {
      return mapper.readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Local addresses of the sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
  private static java.util.Set<String> listeningAddresses(int port) throws Exception {
    java.util.Set<String> found = new java.util.TreeSet<>();
    for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
      java.util.List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        String[] local = f[1].split(":");
        if (f[3].equals("0A") && Integer.parseInt(local[1], 16) == port) { // 0A: LISTEN
          found.add(local[0]);
        }
      }
    }
    return found;
  }

  private static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void proxyAndMetricsListenOnLoopbackByDefault() throws Exception {
    // given: a port alone for each, no host
    int listen = freePort();
    int metrics = freePort();
    var run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                run(
                    "proxy",
                    "--listen",
                    "" + listen,
                    "--upstream",
                    "127.0.0.1:1",
                    "--metrics",
                    "" + metrics,
                    "--duration",
                    "3s",
                    "--format",
                    "json"));
    // when: they are listening
    java.util.Set<String> proxy = java.util.Set.of();
    java.util.Set<String> served = java.util.Set.of();
    for (int i = 0; i < 100 && (proxy.isEmpty() || served.isEmpty()); i++) {
      Thread.sleep(50);
      proxy = listeningAddresses(listen);
      served = listeningAddresses(metrics);
    }
    // then: on 127.0.0.1 only (the kernel's own record: little-endian hex, or IPv4-mapped IPv6)
    java.util.Set<String> loopback =
        java.util.Set.of("0100007F", "0000000000000000FFFF00000100007F");
    assertThat(proxy).isNotEmpty().isSubsetOf(loopback);
    assertThat(served).isNotEmpty().isSubsetOf(loopback);
    Result r = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("warning");
  }

  @Test
  void replayLeavesTheCaptureAsItWasAndReplacesTheOutputWhole() throws Exception {
    // given: a copy of a capture, and an old report where the new one goes
    Path capture = Files.copy(shared("dump.pcap"), dir.resolve("dump.pcap"));
    byte[] before = Files.readAllBytes(capture);
    var modified = Files.getLastModifiedTime(capture);
    Path out =
        Files.writeString(dir.resolve("report.json"), "an old report, much longer ".repeat(1000));
    // when
    Result r = run("replay", capture.toString(), "--format", "json", "-o", out.toString());
    // then: the capture is untouched, the report is the new one whole, and no temporary file is
    // left
    assertThat(r.code()).isZero();
    assertThat(Files.readAllBytes(capture)).isEqualTo(before);
    assertThat(Files.getLastModifiedTime(capture)).isEqualTo(modified);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
    assertThat(json.at("/summary/requests").asLong()).isEqualTo(13);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("dump.pcap", "report.json");
    }
  }

  @Test
  void maxFrameMakesLongerFramesDecodeErrorsAndTheRestIsCounted() throws Exception {
    // Not from our output: dump.pcap's frame lengths as tshark lists the payloads (`tshark -r
    // dump.pcap -T fields -e tcp.srcport -e tcp.payload 'tcp.len>0'`, the 4-byte lengths read in
    // turn): one request (the create, 62 bytes) and six replies are longer than 50 bytes.
    Result r =
        run("replay", shared("dump.pcap").toString(), "--max-frame", "50", "--format", "json");
    assertThat(r.code()).isZero();
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(json.at("/summary/decode_errors").asLong()).isEqualTo(7);
    assertThat(json.at("/summary/requests").asLong()).isEqualTo(12);
    assertThat(json.at("/ops/create/requests").isMissingNode()).isTrue();
  }

  @Test
  void generateWritesACaptureThatReplaysToWhatItSaysItWrote() throws Exception {
    // given
    Path f = dir.resolve("generated.pcap");
    Result g = run("generate", f.toString(), "--size", "2m", "--sessions", "20", "--seed", "3");
    assertThat(g.code()).as(g.err()).isZero();
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([\\d,]+) packets, ([\\d,]+) requests").matcher(g.out());
    assertThat(m.find()).as(g.out()).isTrue();
    long requests = Long.parseLong(m.group(2).replace(",", ""));
    // when
    Result r = run("replay", f.toString(), "--format", "json");
    // then
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(json.at("/summary/requests").asLong()).isEqualTo(requests);
    assertThat(json.at("/summary/sessions").asLong()).isEqualTo(20);
    assertThat(json.at("/capture/packets").asLong())
        .isEqualTo(Long.parseLong(m.group(1).replace(",", "")));
  }
}
