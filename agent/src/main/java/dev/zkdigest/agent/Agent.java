package dev.zkdigest.agent;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import dev.zkdigest.protocol.RetainBudget;
import java.lang.instrument.Instrumentation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * The agent proper, started by the launcher in the agent's own class loader: parses the arguments,
 * wires taps, hand-off, decoder and reporting, instruments ZooKeeper, and ends it all either when
 * the JVM shuts down or after {@code duration} (then it also removes its instrumentation and lets
 * go of its threads, memory and class loader, so the JVM is as it was, bar the bridge class).
 */
public final class Agent {
  /** How long the end may take to decode what is still in the hand-off. */
  private static final long DRAIN_MILLIS = 5_000;

  /** Bytes that large frames in progress may hold, all connections together. */
  private static final long RETAIN_BUDGET = 4L << 20;

  /**
   * How long an in-process reader waits for the decoder to catch up with the bytes tapped before
   * its call; a test's traffic is small, so this is only reached when the decoder is stuck.
   */
  private static final long SYNC_MILLIS = 10_000;

  private final AgentArgs args;
  private final Instrumentation inst;
  private final AutoCloseable loader;
  private final Handoff handoff;
  private final Taps taps;
  private final AgentReporting reporting;
  private final Decoder decoder;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final Supplier<String> intervalReports = this::intervalReport;
  private ResettableClassFileTransformer transformer;
  private Thread shutdownHook;
  private Thread timer;

  private Agent(AgentArgs args, Instrumentation inst, boolean attached, AutoCloseable loader) {
    this.args = args;
    this.inst = inst;
    this.loader = loader;
    this.handoff = new Handoff(args.bufferBytes());
    this.taps =
        new Taps(handoff, args.maxConnections(), !attached, args.tapClients(), args.tapServers());
    this.reporting = new AgentReporting(args, inputs(), this::gauges);
    this.decoder =
        new Decoder(
            handoff,
            taps,
            reporting.listener(),
            args.protocolConfig(),
            new RetainBudget(RETAIN_BUDGET));
  }

  /** Called by the launcher, reflectively, in the agent's class loader. Never throws. */
  public static void start(
      String argString, Instrumentation inst, boolean attached, AutoCloseable loader) {
    AgentArgs args;
    try {
      args = AgentArgs.parse(argString);
    } catch (IllegalArgumentException e) {
      AgentLog.warn("bad argument: " + e.getMessage() + "; the agent stays inert");
      closeQuietly(loader);
      return;
    }
    try {
      new Agent(args, inst, attached, loader).begin();
    } catch (RuntimeException | LinkageError e) {
      AgentLog.warn("not started: " + AgentLog.describe(e));
    }
  }

  private void begin() {
    if (!ZkdigestBridge.install(taps)) {
      AgentLog.warn("another zkdigest agent is running in this JVM; this one stays inert");
      closeQuietly(loader);
      return;
    }
    decoder.start();
    reporting.start();
    try {
      transformer = TapPoints.install(inst, (ClassLoader) loader);
    } catch (ReflectiveOperationException | RuntimeException e) {
      AgentLog.warn("could not instrument ZooKeeper: " + AgentLog.describe(e) + "; stopping");
      end(true);
      return;
    }
    if (args.inProcess()) {
      ZkdigestBridge.installIntervals(intervalReports);
    }
    shutdownHook = new Thread(() -> end(false), "zkdigest-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    if (args.duration() != null) {
      timer =
          new Thread(
              () -> {
                try {
                  Thread.sleep(args.duration().toMillis());
                  end(true);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "zkdigest-agent-timer");
      timer.setDaemon(true);
      timer.start();
    }
    AgentLog.info(
        "tapping ZooKeeper traffic in pid "
            + ProcessHandle.current().pid()
            + (args.duration() != null ? " for " + args.duration().toMillis() + " ms" : "")
            + (args.inProcess() ? "; interval reports for this JVM's reader" : "")
            + (!args.wantsReport()
                ? ""
                : "; report "
                    + (args.output() != null ? "to " + args.output() : "on standard error")
                    + (args.duration() != null ? " then" : " at exit")));
  }

  /**
   * Stops tapping, decodes what is left, writes the final report. With {@code detach} (the duration
   * ended, or no instrumentation) it also removes the instrumentation and ends the agent's threads;
   * at JVM shutdown there is no need.
   */
  private void end(boolean detach) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    ZkdigestBridge.uninstallIntervals(intervalReports);
    ZkdigestBridge.uninstall(taps);
    taps.stop();
    if (detach && transformer != null) {
      try {
        transformer.reset(inst, AgentBuilder.RedefinitionStrategy.RETRANSFORMATION);
      } catch (RuntimeException e) {
        AgentLog.warn("could not remove the instrumentation: " + AgentLog.describe(e));
      }
    }
    try {
      decoder.stop(DRAIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reporting.finish();
    reporting.close();
    if (detach) {
      if (shutdownHook != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // the JVM is shutting down already
        }
      }
      closeQuietly(loader);
      AgentLog.info("detached: instrumentation removed, report written");
    }
  }

  /** With {@code in-process}: what the decoder made of the bytes tapped so far, since last time. */
  private String intervalReport() {
    try {
      if (!decoder.awaitDecoded(SYNC_MILLIS)) {
        AgentLog.once(
            "sync", "the decoder did not catch up in " + SYNC_MILLIS + " ms; a report may be late");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return reporting.intervalJson();
  }

  /** The agent's own counters, for the report's "Front end" line and the metrics. */
  private Map<String, Long> gauges() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("agent_dropped_bytes", handoff.droppedBytes());
    m.put("agent_connections_tracked", (long) taps.tracked());
    m.put("agent_untracked_bytes", taps.untrackedBytes());
    m.put("agent_analysis_stopped", decoder.analysisStopped());
    m.put("agent_internal_errors", ZkdigestBridge.failures());
    return m;
  }

  /** The JVM the report is about: its pid and main class. */
  private static List<String> inputs() {
    String command = System.getProperty("sun.java.command", "");
    String main = command.isBlank() ? "unknown" : command.split(" ", 2)[0];
    return List.of("pid " + ProcessHandle.current().pid(), "main " + main);
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // nothing left to do
    }
  }
}
