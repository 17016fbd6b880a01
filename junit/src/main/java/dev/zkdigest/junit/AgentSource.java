package dev.zkdigest.junit;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.report.JsonReportReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * The zkdigest agent in this JVM, tapping the ZooKeeper clients the application opens itself
 * (wherever they connect). The agent lives in its own class loader, so its traffic comes across as
 * JSON text through the one agent class on the bootstrap class path, and is read back exactly
 * ({@link JsonReportReader}). The agent is attached once per JVM and stays: each start discards
 * what it saw before, and only one agent source may read it at a time.
 */
final class AgentSource implements TrafficSource {
  /** Where the agent jar is, when it is not {@link #BUILT_JAR} under the working directory. */
  static final String JAR_PROPERTY = "zkdigest.agent.jar";

  /** Where zkdigest's own build leaves the jar, looked for upwards from the working directory. */
  private static final Path BUILT_JAR = Path.of("agent", "target", "zkdigest-agent.jar");

  private static final String BRIDGE = "dev.zkdigest.agent.bootstrap.ZkdigestBridge";

  private static final String LAUNCHER = "dev/zkdigest/agent/launcher/AgentLauncher.class";

  /**
   * Clients only: a server in the same JVM (Curator's {@code TestingServer}, an embedded one) would
   * count every request twice. No final report: the tests read the traffic as it goes.
   */
  private static final String AGENT_ARGS = "in-process=true,tap=client";

  /** The source reading the agent now; another one would take its traffic. */
  private static AgentSource reader;

  private Method intervalReport;

  @Override
  public String start(Supplier<TrafficListener> listeners) {
    synchronized (AgentSource.class) {
      if (reader != null && reader != this) {
        throw new IllegalStateException(
            "zkdigest: another ZkDigestExtension.agent() is running in this JVM; the agent's"
                + " traffic cannot be split between them: run their tests one class at a time");
      }
      Method m = bridge();
      if (m == null || call(m) == null) {
        requireLauncherOffClassPath();
        attach(agentJar());
        m = bridge();
      }
      // The first read (after attaching, or left by an earlier class) is not this source's traffic.
      if (m == null || call(m) == null) {
        throw new IllegalStateException(
            "zkdigest: the agent did not start in this JVM (its reason is on standard error)");
      }
      intervalReport = m;
      reader = this;
    }
    return null;
  }

  @Override
  public DigestSnapshot interval(Recording unused) {
    String json = call(intervalReport);
    if (json == null) {
      throw new IllegalStateException("zkdigest: the agent in this JVM has stopped");
    }
    try {
      return JsonReportReader.read(new StringReader(json)).snapshot();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String describe() {
    return "agent in pid " + ProcessHandle.current().pid() + " (this JVM's ZooKeeper clients)";
  }

  @Override
  public void close() {
    synchronized (AgentSource.class) {
      if (reader == this) {
        reader = null;
      }
    }
  }

  /** The bridge's reader, from the bootstrap class path where the agent put it; null before. */
  private static Method bridge() {
    try {
      return Class.forName(BRIDGE, true, null).getMethod("intervalReport");
    } catch (ClassNotFoundException e) {
      return null;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(
          "zkdigest: the agent attached to this JVM is older than zkdigest-junit; use one version");
    }
  }

  private static String call(Method m) {
    try {
      return (String) m.invoke(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "zkdigest: the agent failed to report: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The JVM loads an attached agent's entry point through the application class loader: with the
   * agent module's own classes on the class path, it would start those instead of the jar's.
   */
  private static void requireLauncherOffClassPath() {
    URL launcher = ClassLoader.getSystemResource(LAUNCHER);
    if (launcher != null) {
      throw new IllegalStateException(
          "zkdigest: the zkdigest-agent classes are on the test class path ("
              + launcher
              + "), so the agent cannot be attached: depend on zkdigest-junit only");
    }
  }

  /** Self-attach where the JVM allows it, else Byte Buddy attaches from a helper process. */
  private static void attach(Path jar) {
    try {
      ByteBuddyAgent.attach(
          jar.toFile(), String.valueOf(ProcessHandle.current().pid()), AGENT_ARGS);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "zkdigest: cannot attach the agent " + jar + " to this JVM (a JDK is needed): " + e, e);
    }
  }

  /** {@value #JAR_PROPERTY}, else {@code agent/target/zkdigest-agent.jar} in a parent directory. */
  static Path agentJar() {
    String p = System.getProperty(JAR_PROPERTY);
    if (p != null && !p.isBlank()) {
      Path jar = Path.of(p);
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            "zkdigest: -D" + JAR_PROPERTY + "=" + p + ": no such file (the zkdigest-agent jar)");
      }
      return jar;
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path jar = dir.resolve(BUILT_JAR);
      if (Files.isRegularFile(jar)) {
        return jar;
      }
    }
    throw new IllegalStateException(
        "zkdigest: cannot find the agent jar: set -D"
            + JAR_PROPERTY
            + "=PATH to zkdigest-agent.jar (not found as "
            + BUILT_JAR
            + " from the working directory up)");
  }
}
