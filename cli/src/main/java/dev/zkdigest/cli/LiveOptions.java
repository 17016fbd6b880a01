package dev.zkdigest.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the live modes (proxy, sniff): when to report and how to expose metrics. */
final class LiveOptions {
  @Option(
      names = "--interval",
      paramLabel = "D",
      converter = Durations.class,
      description =
          "Print a report of the last interval every D (e.g. 10s), and the total at exit.")
  Duration interval;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Durations.class,
      description = "Stop after D and write the final report (default: until SIGINT/SIGTERM).")
  Duration duration;

  @Option(
      names = "--metrics",
      paramLabel = "[HOST:]PORT",
      description = "Serve Prometheus metrics over HTTP at /metrics (host defaults to 127.0.0.1).")
  String metrics;
}
