package dev.zkdigest.cli;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetException;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.CaptureFileReader;
import dev.zkdigest.capture.CaptureReplay;
import dev.zkdigest.capture.QuorumMatcher;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.ReplayProgress;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.filter.MessageFilter;
import dev.zkdigest.filter.TrafficFilter;
import dev.zkdigest.protocol.AsyncListener;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.report.ReportOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkdigest replay FILE...}: digest pcap and pcapng files as one timeline; {@code -} reads
 * one capture from standard input as it is written ({@code tcpdump -w - | zkdigest replay -}).
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Digest ZooKeeper traffic from pcap/pcapng capture files (tcpdump -w).",
      "Several files are one timeline, their packets merged by timestamp: a rotated capture"
          + " (tcpdump -C/-G/-W) in any order, e.g. part* (part, part1, part10, part2, ...), reads"
          + " as the capture it was cut from, sessions continuing from file to file; files are"
          + " ordered by their first packets and opened one after another.",
      "FILE '-' reads one capture from standard input: tcpdump -w - 'port 2181' | zkdigest replay -"
    })
final class ReplayCommand implements Callable<Integer> {
  /** Interval reports are glances: detail blocks for the top three only, as in the live modes. */
  private static final int INTERVAL_TOP = 3;

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description =
          "Capture files to replay, in any order (they are merged by timestamp); '-' for standard"
              + " input (alone).")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--interval",
      paramLabel = "D",
      converter = Durations.class,
      description =
          "Also print a report of each interval D of capture time (by the packets' timestamps),"
              + " as it ends; the total comes at the end.")
  Duration interval;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description =
          "Count only messages from TIME on: an instant (2026-12-02T05:00:00Z) or an offset from"
              + " the capture's first packet (90s, 5m).")
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Count only messages before TIME (as --since).")
  String until;

  @Option(
      names = "--filter",
      paramLabel = "FIELD=VALUE",
      description =
          "Count only matching requests (repeatable; values of one field separated by commas):"
              + " op=getData, path=/app/*, client=10.0.0.0/8, session=0x1234, error=NONODE.")
  List<String> filters = new ArrayList<>();

  @Mixin ServerOptions serverOptions = new ServerOptions();

  @Mixin OutputOptions output = new OutputOptions();

  @Mixin BudgetOption budgetOption = new BudgetOption();

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Decoding threads; the connections are split between them (default: the number of"
              + " cores, at most 8; 1 for captures under 192 MiB in all, and with --show).")
  Integer threads;

  /**
   * Captures smaller than this in all replay on one thread unless {@code --threads} says: a second
   * thread's start, its share of every packet's headers and the merge at the end cost more than it
   * saves (one thread measured 10% faster at 77 MB and as fast at 165 MB, two 11% faster at 324 MB;
   * BENCHMARKS.md).
   */
  static final long ONE_THREAD_BELOW_BYTES = 192L << 20;

  /** The cores (at most 8), or one for a small input; standard input counts as large. */
  static int defaultThreads(List<Path> files) {
    long total = 0;
    for (Path f : files) {
      if (f.toString().equals(CaptureFileReader.STDIN) || !Files.isRegularFile(f)) {
        total = Long.MAX_VALUE;
        break;
      }
      try {
        total += Files.size(f);
      } catch (IOException e) {
        total = Long.MAX_VALUE; // the replay itself says what is wrong with the file
        break;
      }
    }
    return total < ONE_THREAD_BELOW_BYTES
        ? 1
        : Math.min(8, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (threads == null) {
      threads = defaultThreads(files);
    }
    if (threads < 1 || threads > 64) {
      err.println("zkdigest: --threads must be between 1 and 64");
      return 2;
    }
    boolean stdin = files.stream().anyMatch(f -> f.toString().equals(CaptureFileReader.STDIN));
    if (stdin && files.size() > 1) {
      err.println("zkdigest: '-' (standard input) must be the only capture to replay");
      return 2;
    }
    if (interval != null && interval.isZero()) {
      err.println("zkdigest: --interval must be more than zero");
      return 2;
    }
    if (output.output != null && !stdin) {
      for (Path f : files) {
        if (Files.exists(output.output) && Files.isSameFile(f, output.output)) {
          err.println("zkdigest: --output " + output.output + " is one of the capture files");
          return 2;
        }
      }
    }
    MessageFilter filter;
    try {
      filter = messageFilter(stdin);
    } catch (IllegalArgumentException | CaptureException e) {
      err.println("zkdigest: " + e.getMessage());
      return 2;
    }
    // The budget is checked whole before any traffic is read: a typo fails in a second.
    Budget budget;
    try {
      budget = budgetOption.load();
    } catch (BudgetException e) {
      err.println("zkdigest: " + e.getMessage());
      return 2;
    }
    // --show prints messages in time order, and interval reports need one clock: one timeline,
    // one shard. Standard input has one reader anyway. Otherwise the flows are split between
    // threads, one digest each.
    int shards = output.show || interval != null || stdin ? 1 : threads;
    List<String> inputs =
        files.stream()
            .map(
                f -> f.toString().equals(CaptureFileReader.STDIN) ? "standard input" : f.toString())
            .toList();
    // Usage errors (a bad --servers) before anything is opened.
    ServerMatcher matcher = serverOptions.matcher();
    QuorumMatcher quorumFlows = serverOptions.quorumMatcher();
    QuorumRecorder quorum = new QuorumRecorder(serverOptions.ensemble().identities());
    int maxConnections = Math.max(1, serverOptions.maxConnections() / shards);
    ProtocolConfig config = output.protocolConfig();
    Recording recording = new Recording(output.digestLimits(), interval != null);
    List<TcpTracker> trackers = new ArrayList<>();
    AsyncListener show = null;
    for (int i = 0; i < shards; i++) {
      List<TrafficListener> listeners = new ArrayList<>();
      if (interval != null) {
        // First, so an interval that ends is reported before the message that ends it counts.
        listeners.add(intervalReports(recording, inputs, out));
      }
      // The recorder's one writer: this shard's thread, or the hand-off thread below.
      listeners.add(recording.newRecorder());
      if (output.show) {
        listeners.add(output.showPrinter(out, stdin));
      }
      TrafficListener listener = TrafficFilter.of(filter, TrafficListeners.of(listeners));
      if (output.show && !stdin) {
        // Printing on its own thread. Not from a pipe: AsyncListener hands events over in
        // batches of thousands, and a live capture's lines and reports must come as it goes.
        show = new AsyncListener(listener, "zkdigest-digest");
        listener = show;
      }
      trackers.add(
          new TcpTracker(matcher, config, listener, maxConnections).connectionIds(i + 1, shards));
    }
    CaptureReplay.Result result;
    // A progress line on a terminal, for files only: --show and interval reports are progress
    // enough, and a pipe has no size to measure against.
    ReplayProgress progress =
        ProgressLine.wanted() && !stdin && !output.show && interval == null
            ? new ReplayProgress()
            : null;
    ProgressLine line = progress != null ? ProgressLine.start(progress, totalSize(), err) : null;
    try {
      result =
          CaptureReplay.run(
              files, trackers, new QuorumTracker(quorumFlows, matcher, quorum), progress);
    } catch (CaptureException e) {
      if (line != null) {
        line.close();
      }
      err.println("zkdigest: " + e.getMessage());
      return 1;
    } finally {
      if (line != null) {
        line.close();
      }
      if (show != null) {
        show.close();
      }
    }
    recording.frontEnd(
        () -> {
          Map<String, Long> m = new LinkedHashMap<>();
          m.put("packets", result.packets());
          m.put("tcp_segments", result.tcpSegments());
          m.put("other_packets", result.otherPackets());
          m.put("connections_evicted", result.evicted());
          return m;
        });
    DigestSnapshot digest = recording.total();
    for (String w : result.warnings()) {
      err.println("zkdigest: warning: " + w);
    }
    if (result.packets() == 0) {
      err.println(
          result.warnings().isEmpty()
              ? "zkdigest: no packets in " + String.join(", ", inputs)
              : "zkdigest: nothing could be read from the capture");
      return 1;
    }
    BudgetResult verdicts = BudgetOption.evaluate(budget, digest);
    if (output.wantsReport()) {
      ReportOptions opts =
          new ReportOptions(
              "replay",
              inputs,
              output.top,
              output.groupBy,
              output.thresholds(),
              output.orderBy,
              output.limit,
              output.slowMicros());
      ReportWriter.write(digest, opts, output, out, new ReportExtras(quorum.snapshot(), verdicts));
    }
    out.flush();
    return verdicts == null ? 0 : BudgetOption.verdict(verdicts, output, err);
  }

  /** {@code --since}, {@code --until} and {@code --filter}; offsets from the first packet. */
  private MessageFilter messageFilter(boolean stdin) throws CaptureException {
    MessageFilter f = MessageFilter.ALL.with(filters);
    if (since == null && until == null) {
      return f;
    }
    long start = Long.MAX_VALUE;
    if (!stdin && (isOffset(since) || isOffset(until))) {
      for (Path file : files) {
        start = Math.min(start, CaptureFileReader.firstPacketNanos(file));
      }
    } else if (isOffset(since) || isOffset(until)) {
      throw new IllegalArgumentException(
          "--since and --until take instants, not offsets, with standard input");
    }
    long s = since == null ? Long.MIN_VALUE : instant(since, start);
    long u = until == null ? Long.MAX_VALUE : instant(until, start);
    if (s >= u) {
      throw new IllegalArgumentException("--since must be before --until");
    }
    return f.between(s, u);
  }

  private static boolean isOffset(String t) {
    return t != null && !t.contains("T");
  }

  private static long instant(String t, long start) {
    if (isOffset(t)) {
      long offset;
      try {
        offset = Durations.parse(t).toNanos();
      } catch (picocli.CommandLine.TypeConversionException e) {
        throw new IllegalArgumentException(
            "expected an instant like 2026-12-02T05:00:00Z or an offset like 90s, got '" + t + "'");
      }
      return start == Long.MAX_VALUE ? Long.MAX_VALUE : start + offset;
    }
    try {
      java.time.Instant i = java.time.OffsetDateTime.parse(t).toInstant();
      return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected an instant like 2026-12-02T05:00:00Z or an offset like 90s, got '" + t + "'");
    }
  }

  /** Each interval's report, as the live modes print theirs: the top three, flushed at once. */
  private TrafficListener intervalReports(
      Recording recording, List<String> inputs, PrintWriter out) {
    ReportOptions opts =
        new ReportOptions(
            "replay (interval " + Durations.format(interval) + " of capture time)",
            inputs,
            Math.min(output.top, INTERVAL_TOP),
            output.groupBy,
            output.thresholds(),
            output.orderBy,
            output.limit,
            output.slowMicros());
    return new CaptureTimeIntervals(
        interval,
        recording,
        d -> {
          synchronized (out) {
            ReportWriter.renderInterval(d, opts, output, out);
            out.flush();
          }
        });
  }

  /** The bytes of every capture file, 0 when one cannot be measured. */
  private long totalSize() {
    long total = 0;
    for (Path f : files) {
      try {
        total += Files.size(f);
      } catch (java.io.IOException e) {
        return 0;
      }
    }
    return total;
  }
}
