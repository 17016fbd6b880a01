package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./zkdigest} launcher run as a separate process, as a user runs it, with its standard
 * output and standard error kept apart in files.
 */
final class Launched implements AutoCloseable {
  /** Every process started, ended when the test JVM exits if a failing test left one running. */
  private static final java.util.Set<Process> STARTED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
  }

  private final Process process;
  private final Path out;
  private final Path err;

  private Launched(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code ./zkdigest ARGS...} with {@code dir/NAME.out} and {@code dir/NAME.err}. */
  static Launched start(Path dir, String name, String... args) throws IOException {
    return startWith(dir, name, (String) null, args);
  }

  /** The same, with one more environment variable, {@code env} as {@code NAME=VALUE}. */
  static Launched startWith(Path dir, String name, String env, String... args) throws IOException {
    if (env == null) {
      return startWith(dir, name, java.util.Map.of(), args);
    }
    int eq = env.indexOf('=');
    return startWith(
        dir, name, java.util.Map.of(env.substring(0, eq), env.substring(eq + 1)), args);
  }

  /** The same, with these environment variables added. */
  static Launched startWith(
      Path dir, String name, java.util.Map<String, String> env, String... args) throws IOException {
    Path root = LauncherIT.projectRoot();
    List<String> cmd = new ArrayList<>(List.of(root.resolve("zkdigest").toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(root.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    STARTED.add(p);
    return new Launched(p, out, err);
  }

  Process process() {
    return process;
  }

  /**
   * Waits for the exit (a generous bound: the first run may build the jar) and returns its code.
   */
  int exitCode() throws Exception {
    assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("exited; stderr: %s", err()).isTrue();
    return process.exitValue();
  }

  /** SIGTERM, as a user's Ctrl-C or a service manager sends it. */
  void terminate() {
    process.destroy();
  }

  /** SIGINT, as Ctrl-C in a terminal sends it. */
  void interrupt() throws Exception {
    Root.run("kill", "-INT", Long.toString(process.pid()));
  }

  /** The JVM's command line (the launcher execs java in place). */
  List<String> commandLine() throws IOException {
    byte[] raw =
        java.nio.file.Files.readAllBytes(
            java.nio.file.Path.of("/proc/" + process.pid() + "/cmdline"));
    return List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
  }

  String out() throws IOException {
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  byte[] outBytes() throws IOException {
    return Files.readAllBytes(out);
  }

  /** Standard error without the launcher's own line about building the jar. */
  String err() throws IOException {
    return String.join(
        "\n",
        Files.readAllLines(err, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.contains("building the jar"))
            .toList());
  }

  JsonNode json() throws IOException {
    return new ObjectMapper().readTree(out.toFile());
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
