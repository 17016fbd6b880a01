package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian tools the integration tests drive (prometheus, promtool, tshark). CI installs them
 * (.ci/run), and there a missing one fails the test; on a developer machine it is skipped.
 */
final class Tools {
  private Tools() {}

  static Path require(String path, String debianPackage) {
    Path p = Path.of(path);
    boolean installed = Files.isExecutable(p);
    if (System.getenv("CI") != null) {
      assertThat(installed).as("CI installs " + debianPackage + " (" + path + ")").isTrue();
    }
    Assumptions.assumeTrue(installed, path + " is needed: apt-get install " + debianPackage);
    return p;
  }

  /** The runnable jar the build made, run as a user runs it: {@code java -jar}. */
  static ProcessBuilder zkdigest(String... args) {
    Path jar = Path.of(System.getProperty("zkdigest.jar", "cli/target/zkdigest.jar"));
    assertThat(jar).as("the runnable jar (mvn package)").exists();
    java.util.List<String> cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    cmd.addAll(java.util.List.of(args));
    return new ProcessBuilder(cmd);
  }
}
