package dev.zkdigest.agent;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.report.GroupBy;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.MetricsServer;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.ShowPrinter;
import dev.zkdigest.report.TextReport;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Everything the agent does with digests and reports, in one place: the digest the decoder feeds,
 * {@code show} lines, interval reports, the metrics endpoint and the final report with its format
 * and destination. (When the digest's API changes, this is the class that follows it.) Every
 * failure here is one line on standard error; none stops the application or the analysis.
 */
final class AgentReporting implements AutoCloseable {
  /** Detail blocks in interval reports, as in the command's live modes. */
  private static final int INTERVAL_TOP = 3;

  private final AgentArgs args;
  private final List<String> inputs;
  private final Recording recording;
  private final PrintWriter live;
  private final boolean liveIsFile;
  private ScheduledExecutorService ticker;
  private MetricsServer metrics;

  /**
   * @param inputs what the report says it covers (the JVM's pid and main class)
   * @param gauges the agent's own counters, for the report's "Front end" line and the metrics
   */
  AgentReporting(AgentArgs args, List<String> inputs, Supplier<Map<String, Long>> gauges) {
    this.args = args;
    this.inputs = List.copyOf(inputs);
    // In process, the reader (zkdigest-junit) offers sessions() whatever the grouping.
    Digest.Limits limits =
        args.groupBy() == GroupBy.SESSION || args.inProcess()
            ? Digest.Limits.DEFAULTS
            : Digest.Limits.DEFAULTS.withSessions(0);
    this.recording = new Recording(limits, args.interval() != null || args.inProcess());
    recording.frontEnd(gauges);
    PrintWriter out = null;
    if (args.liveOutput() != null) {
      try {
        out =
            new PrintWriter(
                new OutputStreamWriter(
                    new FileOutputStream(args.liveOutput().toFile(), true), StandardCharsets.UTF_8),
                true);
      } catch (IOException e) {
        AgentLog.warn(
            "cannot write to "
                + args.liveOutput()
                + " ("
                + AgentLog.describe(e)
                + "); live output goes to standard error");
      }
    }
    this.liveIsFile = out != null;
    this.live = out != null ? out : new PrintWriter(new OutputStreamWriter(System.err), true);
    if (args.output() != null && !writableDirectory(args.output())) {
      AgentLog.warn(
          "the report cannot be written to "
              + args.output()
              + " (no such directory, or not writable); it will be tried again at the end");
    }
  }

  /** What the decoder reports to: a recorder whose one writer is the decoding thread. */
  TrafficListener listener() {
    List<TrafficListener> all = new ArrayList<>();
    all.add(recording.newRecorder());
    if (args.show()) {
      all.add(new ShowPrinter(live, args.debug()));
    }
    return TrafficListeners.of(all);
  }

  /** Serves metrics and starts interval reports, as asked; a failure of either is one line. */
  void start() {
    InetSocketAddress m = args.metrics();
    if (m != null) {
      try {
        metrics =
            MetricsServer.start(
                new InetSocketAddress(m.getHostString(), m.getPort()), recording::total);
        AgentLog.info(
            "metrics at http://"
                + m.getHostString()
                + ":"
                + metrics.address().getPort()
                + "/metrics");
      } catch (IOException | RuntimeException e) {
        AgentLog.warn(AgentLog.describe(e) + "; going on without metrics");
      }
    }
    if (args.interval() != null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "zkdigest-agent-interval");
                t.setDaemon(true);
                return t;
              });
      long ms = args.interval().toMillis();
      ticker.scheduleAtFixedRate(this::intervalReport, ms, ms, TimeUnit.MILLISECONDS);
    }
  }

  private void intervalReport() {
    try {
      DigestSnapshot d = recording.interval();
      ReportOptions opts =
          new ReportOptions(
              "agent (last " + args.interval().toSeconds() + "s)",
              inputs,
              Math.min(args.top(), INTERVAL_TOP),
              args.groupBy());
      synchronized (live) {
        render(d, opts, live);
      }
    } catch (RuntimeException e) {
      AgentLog.once("interval", "interval report failed: " + AgentLog.describe(e));
    }
  }

  /**
   * The traffic since the previous call as a JSON report (every class and histogram, whatever
   * {@code top}), for a reader in the same JVM; the caller has let the decoder catch up.
   */
  String intervalJson() {
    DigestSnapshot d = recording.interval();
    StringWriter out = new StringWriter();
    PrintWriter pw = new PrintWriter(out);
    JsonReport.render(d, new ReportOptions("agent", inputs, args.top(), args.groupBy()), pw);
    pw.flush();
    return out.toString();
  }

  /** Writes the final report: everything since the start, with the agent's own counters. */
  void finish() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (!args.wantsReport()) {
      live.flush();
      return;
    }
    DigestSnapshot total = recording.total();
    ReportOptions opts = new ReportOptions("agent", inputs, args.top(), args.groupBy());
    if (args.output() == null) {
      PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err), true);
      render(total, opts, err);
      err.flush();
      return;
    }
    try {
      writeAtomically(args.output(), total, opts);
    } catch (IOException | RuntimeException e) {
      AgentLog.warn("cannot write the report to " + args.output() + ": " + AgentLog.describe(e));
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
    live.flush();
    if (liveIsFile) {
      live.close();
    }
  }

  private void render(DigestSnapshot d, ReportOptions opts, PrintWriter out) {
    if (args.json()) {
      JsonReport.render(d, opts, out);
    } else {
      TextReport.render(d, opts, out);
    }
  }

  /** Through a temporary file in the same directory: a reader never sees half a report. */
  private void writeAtomically(Path target, DigestSnapshot total, ReportOptions opts)
      throws IOException {
    Path tmp = Files.createTempFile(target.getParent(), ".zkdigest-", ".tmp");
    try {
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
          PrintWriter pw = new PrintWriter(w)) {
        render(total, opts, pw);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean writableDirectory(Path file) {
    Path dir = file.getParent();
    return dir != null && Files.isDirectory(dir) && Files.isWritable(dir);
  }
}
