package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code chromium}, headless, opening a local page: its rendered DOM, a screenshot, and
 * what the page wrote to the console (with {@code --enable-logging=stderr} every console message,
 * errors included, is a {@code CONSOLE} line on standard error). CI installs it; on a machine
 * without it the test is skipped.
 */
final class Chromium {
  private static final Path BINARY = Path.of("/usr/bin/chromium");
  private static final long TIMEOUT_SECONDS = 120;

  /**
   * What one run of the browser gave: its standard output (or an evaluated value) and the page's
   * console messages.
   */
  record Run(String stdout, List<String> console) {}

  private Chromium() {}

  static void require() {
    boolean installed = Files.isExecutable(BINARY);
    if (System.getenv("CI") != null) {
      assertThat(installed).as("chromium installed by .ci/run").isTrue();
    }
    Assumptions.assumeTrue(installed, "chromium is needed to render the HTML report");
  }

  /** The DOM after the page's script ran, for {@code page} opened at {@code fragment} ("" none). */
  static Run dumpDom(Path page, String fragment, Path work) throws Exception {
    return run(work, List.of("--dump-dom", url(page, fragment)));
  }

  /** A screenshot of the page in a 1280x2000 window, written to {@code png}. */
  static Run screenshot(Path page, Path png, Path work) throws Exception {
    return run(
        work,
        List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1280,2000", url(page, "")));
  }

  /**
   * Opens {@code page}, waits for it to load, then evaluates {@code expression} in it through the
   * DevTools protocol (as a user's clicks would run: {@code element.click()} fires the page's own
   * listeners) and returns its value as JSON text, with the console messages of the whole visit.
   */
  static Run evaluate(Path page, String expression, Path work) throws Exception {
    require();
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
    List<String> cmd = new ArrayList<>(flags(profile));
    cmd.add("--remote-debugging-port=0");
    cmd.add(url(page, ""));
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    String browser = null;
    try {
      browser = devToolsAddress(p, err);
      String pageSocket = pageSocket(java.net.URI.create(browser).getPort(), page);
      String value = Cdp.evaluate(pageSocket, loaded(expression));
      return new Run(value, consoleLines(read(err)));
    } finally {
      // Closed as a user would, so it removes its temporary files; forced only if it hangs.
      if (browser != null) {
        Cdp.closeBrowser(browser);
      }
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
  }

  /** {@code expression} run once the page has loaded, its value returned. */
  private static String loaded(String expression) {
    return "new Promise(function (r) { if (document.readyState === 'complete') { r(); }"
        + " else { addEventListener('load', function () { r(); }); } })"
        + ".then(function () { return JSON.stringify((function () { "
        + expression
        + " })()); })";
  }

  private static String devToolsAddress(Process p, Path err) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    java.util.regex.Pattern listening =
        java.util.regex.Pattern.compile("DevTools listening on (ws://\\S+)");
    while (System.nanoTime() < deadline) {
      java.util.regex.Matcher m = listening.matcher(read(err));
      if (m.find()) {
        return m.group(1);
      }
      if (!p.isAlive()) {
        throw new AssertionError("chromium exited: " + read(err));
      }
      Thread.sleep(100);
    }
    throw new AssertionError("chromium's DevTools did not start: " + read(err));
  }

  /** The DevTools socket of the tab showing {@code page}. */
  private static String pageSocket(int port, Path page) throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/json/list"))
            .build();
    String want = page.toAbsolutePath().toUri().toString();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (int attempt = 0; attempt < 50; attempt++) {
      String body = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      for (var target : json.readTree(body)) {
        if (target.get("type").asText().equals("page")
            && target.get("url").asText().startsWith(want)) {
          return target.get("webSocketDebuggerUrl").asText();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no tab showing " + want);
  }

  private static List<String> flags(Path profile) {
    return List.of(
        BINARY.toString(),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--user-data-dir=" + profile,
        "--enable-logging=stderr",
        "--v=0");
  }

  private static List<String> consoleLines(String stderr) {
    List<String> console = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    return console;
  }

  private static String url(Path page, String fragment) {
    return page.toAbsolutePath().toUri() + fragment;
  }

  private static Run run(Path work, List<String> args) throws Exception {
    require();
    // A profile of its own: other tests and helpers may run a browser at the same time.
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
    List<String> cmd = new ArrayList<>(flags(profile));
    cmd.addAll(args);
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in " + TIMEOUT_SECONDS + " s: " + cmd);
    }
    String stderr = read(err);
    assertThat(p.exitValue()).as("chromium exit code; stderr:%n%s", stderr).isZero();
    return new Run(read(out), consoleLines(stderr));
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8);
  }
}
