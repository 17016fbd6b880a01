package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Wireshark's reading of a capture, as an independent check of what test code builds: tshark is
 * installed by {@code .ci/run}, so in CI (where {@code CI} is set) its absence fails the test.
 */
final class Tshark {
  private Tshark() {}

  static void require() {
    boolean installed = Files.isExecutable(Path.of("/usr/bin/tshark"));
    if (System.getenv("CI") != null) {
      assertThat(installed).as("tshark, installed by .ci/run").isTrue();
    }
    Assumptions.assumeTrue(installed, "tshark is needed for the cross-check");
  }

  /** One line per packet of {@code -T fields} output, fields separated by tabs. */
  static List<String> fields(Path file, String... fields) throws Exception {
    return fieldsWhere(file, null, fields);
  }

  /** The same for the packets that match a display filter ({@code -Y}), if not null. */
  static List<String> fieldsWhere(Path file, String displayFilter, String... fields)
      throws Exception {
    require();
    List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
    if (displayFilter != null) {
      cmd.addAll(List.of("-Y", displayFilter));
    }
    cmd.addAll(List.of("-T", "fields", "-E", "separator=/t"));
    for (String f : fields) {
      cmd.add("-e");
      cmd.add(f);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("tshark: %s", err).isZero();
    return new String(out, StandardCharsets.UTF_8).lines().toList();
  }
}
