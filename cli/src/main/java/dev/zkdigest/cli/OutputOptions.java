package dev.zkdigest.cli;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Timeline;
import dev.zkdigest.filter.SlowOnly;
import dev.zkdigest.findings.Thresholds;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.report.GroupBy;
import dev.zkdigest.report.JsonLinesPrinter;
import dev.zkdigest.report.Order;
import dev.zkdigest.report.ShowPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Output options shared by every mode. */
final class OutputOptions {
  enum Format {
    text,
    json,
    html
  }

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format = Format.text;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path output;

  @Option(
      names = "--show",
      description =
          "Print one line per message (request and reply, event, ...) as decoded; with"
              + " --format json, one JSON object per line.")
  boolean show;

  @Option(
      names = "--summary",
      description = "Print the summary report (the default unless --show is given).")
  boolean summary;

  @Option(
      names = "--top",
      defaultValue = "10",
      paramLabel = "N",
      description = "Detail blocks for the top N groups (default: ${DEFAULT-VALUE}).")
  int top = 10;

  @Option(
      names = "--group-by",
      defaultValue = "pattern",
      paramLabel = "op|pattern|client|session",
      converter = GroupByConverter.class,
      description = "How the profile groups requests (default: ${DEFAULT-VALUE}).")
  GroupBy groupBy = GroupBy.PATTERN;

  @Option(
      names = "--max-frame",
      paramLabel = "BYTES",
      defaultValue = "" + ProtocolConfig.DEFAULT_MAX_FRAME,
      description =
          "Frames longer than this count as decode errors and are skipped"
              + " (default: ${DEFAULT-VALUE}, jute.maxbuffer plus slack).")
  int maxFrame = ProtocolConfig.DEFAULT_MAX_FRAME;

  @Option(names = "--debug", description = "Also show connections opening and closing.")
  boolean debug;

  @Option(
      names = "--max-classes",
      paramLabel = "N",
      description =
          "Distinct classes kept (default: ${DEFAULT-VALUE}); past it, requests count under"
              + " {other} of their op.")
  int maxClasses = Digest.Limits.DEFAULTS.classes();

  @Option(
      names = "--max-clients",
      paramLabel = "N",
      description = "Distinct client addresses kept (default: ${DEFAULT-VALUE}).")
  int maxClients = Digest.Limits.DEFAULTS.clients();

  @Option(
      names = "--max-paths",
      paramLabel = "N",
      description =
          "Distinct (op, raw path) pairs kept (default: ${DEFAULT-VALUE}); past it, requests"
              + " count under {other} of their op, and budget globs over paths give a range.")
  int maxPaths = Digest.Limits.DEFAULTS.paths();

  @Option(
      names = "--order-by",
      paramLabel = "time|calls|errors|bytes|p99",
      converter = OrderConverter.class,
      description = "How the text profile ranks its rows (default: time, the total response time).")
  Order orderBy = Order.TIME;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Profile rows shown at most (default: the larger of --top and 20).")
  int limit;

  @Option(
      names = "--slow",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "Count the replies at least this slow per class (e.g. 100ms); with --show, print only"
              + " those.")
  Duration slow;

  /** {@code --slow} in microseconds, 0 when not given. */
  long slowMicros() {
    return slow == null ? 0 : Math.max(1, slow.toNanos() / 1_000);
  }

  @Option(
      names = "--threshold",
      paramLabel = "NAME=VALUE",
      description =
          "Change when a pattern becomes a finding, e.g. herd.sessions=20 (repeatable; the names"
              + " and defaults are in the README's Findings section).")
  List<String> thresholdSettings = new ArrayList<>();

  @Option(
      names = "--bucket",
      paramLabel = "DURATION",
      converter = Durations.class,
      description =
          "Width of the timeline's buckets, e.g. 1s (default: sized automatically, at most 60"
              + " buckets); past "
              + Timeline.Spec.FIXED_MAX_BUCKETS
              + " buckets the width doubles.")
  Duration bucket;

  /**
   * Whether the summary report is wanted: always, unless only --show was asked for. With {@code
   * --show --format json} the output is JSON lines alone, unless --summary or --output asks too.
   */
  boolean wantsReport() {
    return summary || !show || output != null;
  }

  /**
   * The {@code --show} printer: one text line per message, or one JSON object per line; with {@code
   * --slow}, only the exchanges at least that slow.
   */
  TrafficListener showPrinter(PrintWriter out, boolean flushEachLine) {
    TrafficListener p =
        format == Format.json
            ? new JsonLinesPrinter(out, debug, flushEachLine)
            : new ShowPrinter(out, debug, flushEachLine);
    return slow == null ? p : new SlowOnly(slowMicros(), p);
  }

  /** Per-session stats only when the report shows sessions one by one. */
  Digest.Limits digestLimits() {
    thresholds(); // a bad --threshold fails before any input is read
    if (limit < 0) {
      throw new IllegalArgumentException("--limit must be at least 0");
    }
    if (maxClasses < 1 || maxClients < 1 || maxPaths < 1) {
      throw new IllegalArgumentException(
          "--max-classes, --max-clients and --max-paths must be at least 1");
    }
    Digest.Limits d = Digest.Limits.DEFAULTS;
    Timeline.Spec timeline =
        bucket == null
            ? d.timeline()
            : new Timeline.Spec(
                bucket.toNanos(), Timeline.Spec.FIXED_MAX_BUCKETS, d.timeline().classes());
    return new Digest.Limits(
        maxClasses,
        maxClients,
        groupBy == GroupBy.SESSION ? d.sessions() : 0,
        d.eventPatterns(),
        d.pairs(),
        d.sessionIds(),
        d.decodeReasons(),
        d.ignoredServers(),
        maxPaths,
        d.identities(),
        timeline);
  }

  /**
   * The findings' thresholds: the defaults with each {@code --threshold} applied.
   *
   * @throws IllegalArgumentException naming the bad setting
   */
  Thresholds thresholds() {
    Thresholds t = Thresholds.DEFAULTS;
    for (String setting : thresholdSettings) {
      int eq = setting.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "--threshold takes NAME=VALUE, e.g. herd.sessions=20, got '" + setting + "'");
      }
      t = t.with(setting.substring(0, eq), setting.substring(eq + 1));
    }
    return t;
  }

  ProtocolConfig protocolConfig() {
    return ProtocolConfig.DEFAULTS.withMaxFrame(maxFrame);
  }

  static final class OrderConverter implements picocli.CommandLine.ITypeConverter<Order> {
    @Override
    public Order convert(String value) {
      try {
        return Order.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected time, calls, errors, bytes or p99, got '" + value + "'");
      }
    }
  }

  static final class GroupByConverter implements picocli.CommandLine.ITypeConverter<GroupBy> {
    @Override
    public GroupBy convert(String value) {
      try {
        return GroupBy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(
            "expected op, pattern, client or session, got '" + value + "'");
      }
    }
  }
}
