package dev.zkdigest.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import net.bytebuddy.agent.ByteBuddyAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkdigest attach PID}: loads the agent into a running JVM for {@code --duration}, then
 * prints the report the agent wrote (or leaves it in {@code --output}). The agent removes its
 * instrumentation when the duration ends; the JVM and its ZooKeeper traffic go on.
 */
@Command(
    name = "attach",
    mixinStandardHelpOptions = true,
    description = {
      "Attach the zkdigest agent to a running JVM (a ZooKeeper client or server), digest its"
          + " ZooKeeper traffic, TLS included, for --duration, then detach and print the report.",
      "Needs a JDK (the attach API) and the same user as the target JVM."
    })
final class AttachCommand implements Callable<Integer> {
  static final String AGENT_JAR = "zkdigest-agent.jar";

  /** How long after the duration the agent may take to write its report. */
  private static final Duration GRACE = Duration.ofSeconds(30);

  private static final long POLL_MILLIS = 100;

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "PID", description = "The JVM to attach to.")
  long pid;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Durations.class,
      defaultValue = "60s",
      description = "How long to digest before detaching (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--agent",
      paramLabel = "JAR",
      description =
          "The agent jar (default: " + AGENT_JAR + " beside zkdigest.jar, or agent/target/).")
  Path agent;

  @Option(
      names = "--agent-args",
      paramLabel = "K=V,...",
      description =
          "More agent arguments, e.g. metrics=127.0.0.1:9404,buffer=16m (see the README).")
  String agentArgs;

  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (output.show) {
      throw new ParameterException(
          spec.commandLine(),
          "--show is not available with attach (the lines would be the"
              + " target's); see the agent's show and live-output arguments");
    }
    if (output.format == OutputOptions.Format.html) {
      throw new ParameterException(
          spec.commandLine(),
          "--format html is not available with attach: write JSON (--format json -o r.json),"
              + " then zkdigest merge r.json --format html -o r.html");
    }
    Optional<ProcessHandle> target = ProcessHandle.of(pid);
    if (target.isEmpty() || !target.get().isAlive()) {
      err.println("zkdigest: no process " + pid);
      return 1;
    }
    Path jar = agent != null ? agent : findAgentJar();
    if (jar == null || !Files.isRegularFile(jar)) {
      err.println(
          "zkdigest: no agent jar"
              + (jar != null ? " at " + jar : " beside zkdigest.jar or in agent/target/")
              + "; give one with --agent");
      return 1;
    }
    boolean temporary = output.output == null;
    Path report =
        temporary
            ? Files.createTempFile("zkdigest-attach-", ".report")
            : output.output.toAbsolutePath();
    try {
      long started = System.currentTimeMillis();
      try {
        ByteBuddyAgent.attach(jar.toFile(), String.valueOf(pid), agentArguments(report));
      } catch (RuntimeException e) {
        err.println("zkdigest: cannot attach to " + pid + ": " + Main.oneLine(rootCause(e)));
        return 1;
      }
      err.println("zkdigest: attached to " + pid + "; report in " + duration.toMillis() + " ms");
      err.flush();
      if (!awaitReport(report, started, target.get())) {
        err.println(
            "zkdigest: no report from "
                + pid
                + (target.get().isAlive() ? " in time" : " (it exited)")
                + "; see its standard error");
        return 1;
      }
      if (temporary) {
        out.print(Files.readString(report, StandardCharsets.UTF_8));
        out.flush();
      } else {
        err.println("zkdigest: report written to " + report);
      }
      return 0;
    } finally {
      if (temporary) {
        Files.deleteIfExists(report);
      }
    }
  }

  private String agentArguments(Path report) {
    List<String> args = new ArrayList<>();
    args.add("duration=" + duration.toMillis() + "ms");
    args.add("output=" + report);
    args.add("format=" + output.format);
    args.add("top=" + output.top);
    args.add("group-by=" + output.groupBy.name().toLowerCase(java.util.Locale.ROOT));
    args.add("max-frame=" + output.maxFrame);
    if (agentArgs != null && !agentArgs.isBlank()) {
      args.add(agentArgs);
    }
    return String.join(",", args);
  }

  /** Waits for the agent to write the report after the duration (or the target to exit). */
  private boolean awaitReport(Path report, long started, ProcessHandle target)
      throws InterruptedException, IOException {
    long deadline = started + duration.toMillis() + GRACE.toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (Files.isRegularFile(report)
          && Files.size(report) > 0
          && Files.getLastModifiedTime(report).toMillis() >= started - 1_000) {
        return true;
      }
      if (!target.isAlive()) {
        Thread.sleep(POLL_MILLIS); // its shutdown hook may just have written it
        return Files.isRegularFile(report) && Files.size(report) > 0;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return false;
  }

  /** Beside the running zkdigest.jar (an installation), else agent/target/ of a source tree. */
  static Path findAgentJar() {
    List<Path> candidates = new ArrayList<>();
    try {
      Path self =
          Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(self) ? self : self.getParent();
      candidates.add(dir.resolve(AGENT_JAR));
      // cli/target/zkdigest.jar or cli/target/classes: the source tree is two levels up
      if (dir.getParent() != null && dir.getParent().getParent() != null) {
        candidates.add(dir.getParent().getParent().resolve("agent/target/" + AGENT_JAR));
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no code source: only the working directory is left
    }
    candidates.add(Path.of("agent", "target", AGENT_JAR));
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(null);
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
