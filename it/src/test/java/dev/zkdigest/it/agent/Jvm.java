package dev.zkdigest.it.agent;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A child JVM for the agent's tests: a ZooKeeper server or a client application, on the class path
 * of one ZooKeeper version, with or without the agent. Its output goes to files in a folder of its
 * own, read by the tests.
 */
final class Jvm implements AutoCloseable {
  static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Process process;
  private final Path stdout;
  private final Path stderr;
  private final OutputStream stdin;

  private Jvm(Process process, Path stdout, Path stderr) {
    this.process = process;
    this.stdout = stdout;
    this.stderr = stderr;
    this.stdin = process.getOutputStream();
  }

  /** The agent jar the build made (agent/target/zkdigest-agent.jar). */
  static Path agentJar() {
    Path jar =
        Path.of(System.getProperty("zkdigest.agent.jar", "../agent/target/zkdigest-agent.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no agent jar at " + jar + " (build the agent module)");
    }
    return jar;
  }

  /** ZooKeeper {@code version}'s jars (copied by the build) and this module's test classes. */
  static String zookeeperClasspath(String version) {
    Path dir = Path.of(System.getProperty("zkdigest.zookeeper.dir", "target/zookeeper"), version);
    try (Stream<Path> jars = Files.list(dir)) {
      List<String> cp = jars.map(Path::toString).sorted().collect(Collectors.toList());
      if (cp.isEmpty()) {
        throw new IllegalStateException("no jars in " + dir);
      }
      cp.add(testClasses());
      return String.join(File.pathSeparator, cp);
    } catch (IOException e) {
      throw new IllegalStateException("no ZooKeeper " + version + " jars in " + dir, e);
    }
  }

  /**
   * This JVM's own class path (ZooKeeper 3.9, Curator, Netty 4.2, HdrHistogram, our own modules),
   * without the agent module's classes: an application does not have those.
   */
  static String ownClasspath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.contains("zkdigest-agent") && !e.contains("/agent/target/"))
        .filter(e -> !e.contains("byte-buddy"))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static String testClasses() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.endsWith("test-classes"))
        .findFirst()
        .orElse("target/test-classes");
  }

  /** {@code -javaagent:JAR=ARGS}, or nothing with {@code args} null. */
  static List<String> agent(String args) {
    if (args == null) {
      return List.of();
    }
    return List.of("-javaagent:" + agentJar() + (args.isEmpty() ? "" : "=" + args));
  }

  static Jvm start(
      Path dir, String name, List<String> jvmArgs, String classpath, String main, String... args)
      throws IOException {
    Files.createDirectories(dir);
    List<String> cmd = new ArrayList<>();
    cmd.add(JAVA);
    cmd.add("-Xmx256m");
    cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    cmd.add("-Dzookeeper.admin.enableServer=false");
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(main);
    cmd.addAll(List.of(args));
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new Jvm(p, out, err);
  }

  long pid() {
    return process.pid();
  }

  /** Waits for the JVM to exit by itself; returns its exit code. */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "JVM still running after " + timeout + "; its stderr:\n" + stderr());
    }
    return process.exitValue();
  }

  /** SIGTERM, as an operator stops a server: shutdown hooks run. Returns the exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return await(timeout);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  void send(String line) throws IOException {
    stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    stdin.flush();
  }

  void closeInput() throws IOException {
    stdin.close();
  }

  String stdout() {
    return read(stdout);
  }

  String stderr() {
    return read(stderr);
  }

  /** The agent's own lines on standard error. */
  List<String> agentLines() {
    return stderr().lines().filter(l -> l.startsWith("zkdigest agent:")).toList();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
