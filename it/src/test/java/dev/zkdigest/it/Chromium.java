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

  /** What one run of the browser gave: its standard output and the page's console messages. */
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

  private static String url(Path page, String fragment) {
    return page.toAbsolutePath().toUri() + fragment;
  }

  private static Run run(Path work, List<String> args) throws Exception {
    require();
    // A profile of its own: other tests and helpers may run a browser at the same time.
    Path profile = Files.createTempDirectory(work, "chromium-profile");
    Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0"));
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
    List<String> console = new ArrayList<>();
    for (String line : stderr.split("\n")) {
      if (line.contains(":CONSOLE")) {
        console.add(line);
      }
    }
    return new Run(read(out), console);
  }

  private static String read(Path f) throws IOException {
    return Files.readString(f, StandardCharsets.UTF_8);
  }
}
