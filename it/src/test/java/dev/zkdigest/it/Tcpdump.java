package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Records real traffic with tcpdump. Needs root (or CAP_NET_RAW) and tcpdump: CI has both, and
 * there a missing one fails the test; on a developer machine without them the test is skipped.
 */
final class Tcpdump implements AutoCloseable {
  private final Process process;
  private final Path file;

  private Tcpdump(Process process, Path file) {
    this.process = process;
    this.file = file;
  }

  static void requireCapture() {
    boolean can = canCapture();
    if (System.getenv("CI") != null) {
      assertThat(can).as("CI must be able to run tcpdump as root").isTrue();
    }
    Assumptions.assumeTrue(can, "tcpdump as root is needed to record traffic");
  }

  static boolean canCapture() {
    boolean installed =
        Files.isExecutable(Path.of("/usr/bin/tcpdump"))
            || Files.isExecutable(Path.of("/usr/sbin/tcpdump"));
    return installed && "root".equals(System.getProperty("user.name"));
  }

  static Tcpdump start(Path file, String iface, int snaplen, String filter) throws Exception {
    return start(file, iface, snaplen, filter, List.of());
  }

  /** With {@code extra} options, e.g. {@code -C 1} to rotate files as {@code file}, file1, ... */
  static Tcpdump start(Path file, String iface, int snaplen, String filter, List<String> extra)
      throws Exception {
    requireCapture();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "tcpdump",
                "-i",
                iface,
                "-U",
                // Hand each packet over at once: without it the last second may be lost.
                "--immediate-mode",
                "-n",
                // A large kernel buffer: at thousands of operations a second the default drops.
                "-B",
                "65536",
                "-Z",
                "root",
                "-w",
                file.toString(),
                "-s",
                Integer.toString(snaplen)));
    cmd.addAll(extra);
    cmd.add(filter);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> listening =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                String line;
                StringBuilder all = new StringBuilder();
                while ((line = r.readLine()) != null) {
                  all.append(line).append('\n');
                  if (line.contains("listening on")) {
                    return "ok";
                  }
                }
                return all.toString();
              } catch (Exception e) {
                return e.toString();
              }
            });
    String started = listening.get(20, TimeUnit.SECONDS);
    assertThat(started).as("tcpdump start").isEqualTo("ok");
    // Keep draining its output so it never blocks on a full pipe.
    CompletableFuture.runAsync(
        () -> {
          try {
            String line;
            while ((line = r.readLine()) != null) {
              // drained so tcpdump never blocks on a full pipe
            }
          } catch (Exception ignored) {
            // process ended
          }
        });
    return new Tcpdump(p, file);
  }

  Path file() {
    return file;
  }

  /** Stops the capture, letting tcpdump flush what it has. */
  @Override
  public void close() throws Exception {
    // Give the kernel a moment to hand over the last packets.
    Thread.sleep(300);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
