package dev.zkdigest.cli;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.quorum.QuorumSnapshot;
import dev.zkdigest.report.MetricsServer;
import dev.zkdigest.report.ReportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the live modes share: the recording (one recorder per feeding thread, interval and total
 * snapshots), {@code --show} lines, the metrics endpoint, and waiting for SIGINT/SIGTERM or {@code
 * --duration} before the final report.
 */
final class LiveSession implements AutoCloseable {
  private final Recording recording;
  private final TrafficListener show;
  private final OutputOptions output;
  private final LiveOptions live;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch stop = new CountDownLatch(1);
  private ScheduledExecutorService ticker;
  private MetricsServer metrics;

  LiveSession(OutputOptions output, LiveOptions live, PrintWriter out, PrintWriter err) {
    this.output = output;
    this.live = live;
    this.recording = new Recording(output.digestLimits(), live.interval != null);
    this.show = output.show ? output.showPrinter(out, true) : null;
    this.out = out;
    this.err = err;
  }

  /** For a front end with one feeding thread: a new recorder, with --show lines if asked. */
  TrafficListener newListener() {
    return withShow(recording.newRecorder());
  }

  /**
   * For a front end with a thread per connection group (the proxy's event loops): the calling
   * thread's recorder, with --show lines if asked. Call it on the feeding thread.
   */
  TrafficListener listenerForCurrentThread() {
    return withShow(recording.forCurrentThread());
  }

  private TrafficListener withShow(TrafficListener recorder) {
    List<TrafficListener> l = new ArrayList<>();
    l.add(recorder);
    if (show != null) {
      l.add(show);
    }
    return TrafficListeners.of(l);
  }

  /** Everything so far, all feeding threads together. */
  DigestSnapshot total() {
    return recording.total();
  }

  /** Counters of the front end itself, added to metrics and the report. */
  void gauges(Supplier<Map<String, Long>> gauges) {
    recording.frontEnd(gauges);
  }

  void start(String mode, List<String> inputs) throws IOException {
    if (live.metrics != null) {
      InetSocketAddress addr = parseMetrics(live.metrics);
      if (!addr.getAddress().isLoopbackAddress()) {
        err.println(
            "zkdigest: warning: metrics are served on "
                + addr.getHostString()
                + ", which is reachable from other hosts");
      }
      metrics = MetricsServer.start(addr, recording::total);
      err.println("zkdigest: metrics at http://" + hostPort(metrics.address()) + "/metrics");
    }
    if (live.interval != null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "zkdigest-interval");
                t.setDaemon(true);
                return t;
              });
      long ms = live.interval.toMillis();
      ticker.scheduleAtFixedRate(
          () -> {
            DigestSnapshot d = recording.interval();
            ReportOptions opts =
                new ReportOptions(
                    mode + " (last " + live.interval.toSeconds() + "s)",
                    inputs,
                    Math.min(output.top, 3),
                    output.groupBy,
                    output.thresholds(),
                    output.orderBy,
                    output.limit,
                    output.slowMicros());
            try {
              synchronized (out) {
                ReportWriter.renderInterval(d, opts, output, out);
              }
            } catch (RuntimeException e) {
              err.println("zkdigest: interval report failed: " + Main.oneLine(e));
            }
          },
          ms,
          ms,
          TimeUnit.MILLISECONDS);
    }
    installSignals();
  }

  /** Blocks until SIGINT, SIGTERM, {@code --duration} or {@link #stop()}. */
  void await() throws InterruptedException {
    if (live.duration != null) {
      stop.await(live.duration.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      stop.await();
    }
  }

  void stop() {
    stop.countDown();
  }

  /** Writes the final report (the running total). */
  void finish(String mode, List<String> inputs) throws IOException {
    finish(mode, inputs, null, null);
  }

  /**
   * Writes the final report (the running total) with its quorum section ({@code quorum} null: none)
   * and the budget's verdicts on it.
   *
   * @return the verdicts, or null without a budget
   */
  BudgetResult finish(String mode, List<String> inputs, QuorumSnapshot quorum, Budget budget)
      throws IOException {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    DigestSnapshot total = recording.total();
    BudgetResult verdicts = BudgetOption.evaluate(budget, total);
    if (output.wantsReport()) {
      ReportOptions opts =
          new ReportOptions(
              mode,
              inputs,
              output.top,
              output.groupBy,
              output.thresholds(),
              output.orderBy,
              output.limit,
              output.slowMicros());
      synchronized (out) {
        ReportWriter.write(total, opts, output, out, new ReportExtras(quorum, verdicts));
      }
    }
    out.flush();
    return verdicts;
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  private void installSignals() {
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
      } catch (IllegalArgumentException e) {
        // the signal is not available here; --duration still works
      }
    }
  }

  static InetSocketAddress parseMetrics(String spec) throws IOException {
    var a = dev.zkdigest.proxy.Route.parseAddress(spec, "127.0.0.1");
    return new InetSocketAddress(InetAddress.getByName(a.getHostString()), a.getPort());
  }

  static String hostPort(InetSocketAddress a) {
    String h = a.getAddress().getHostAddress();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }
}
