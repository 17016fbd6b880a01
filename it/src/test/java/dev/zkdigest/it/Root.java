package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that change the machine's network (namespaces, veths, nftables, socket resets) need root.
 * CI runs as root, so there a missing privilege fails the test; elsewhere it is skipped.
 */
final class Root {
  private Root() {}

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static void require(String why) {
    if (System.getenv("CI") != null) {
      assertThat(isRoot()).as("CI runs as root: " + why).isTrue();
    }
    Assumptions.assumeTrue(isRoot(), "needs root: " + why);
  }

  /** Runs a command to its end; its failure fails the test, with its output. */
  static String run(String... cmd) throws Exception {
    return run(List.of(cmd));
  }

  static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", cmd).isTrue();
    assertThat(p.exitValue()).as("%s: %s", cmd, out).isZero();
    return out;
  }
}
