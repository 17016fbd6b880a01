package dev.zkdigest.cli;

import dev.zkdigest.capture.SyntheticCapture;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkdigest generate FILE}: a deterministic synthetic capture, for benchmarks and tests. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a deterministic synthetic ZooKeeper capture (pcap): many IPv4 and IPv6 sessions,"
          + " pipelined requests, frames split at the MSS, replies up to 1 MiB, events, errors.",
      "--shape real writes what a capture of Java clients under load looks like instead: small"
          + " frames, one request per segment, a few replies per segment, pure ACKs; nine requests"
          + " in ten getData of one znode, the rest a create/setData/delete script over thousands"
          + " of paths from sessions that reconnect."
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The pcap file to write.")
  Path file;

  @Option(
      names = "--size",
      defaultValue = "1g",
      paramLabel = "SIZE",
      description = "About how big (k, m, g suffixes; default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--sessions",
      defaultValue = "500",
      description = "Concurrent sessions (default: ${DEFAULT-VALUE}).")
  int sessions;

  @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: 1).")
  long seed;

  @Option(
      names = "--names",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Draw znode names from N distinct letter-only names, each a class of its own (to test"
              + " the caps); 0 (default) for a tree of a few dozen classes.")
  int names;

  @Option(
      names = "--shape",
      defaultValue = "mss",
      paramLabel = "SHAPE",
      description =
          "mss (default): pipelined bursts cut at the MSS; real: segments and frames sized as in a"
              + " real capture (benchmarks/record-capture.sh), see BENCHMARKS.md; --names applies"
              + " to mss only.")
  String shape;

  @Override
  public Integer call() throws Exception {
    long bytes = parseSize(size);
    if (sessions < 1 || sessions > 1_000_000) {
      spec.commandLine().getErr().println("zkdigest: --sessions must be 1 to 1000000");
      return 2;
    }
    if (names < 0) {
      spec.commandLine().getErr().println("zkdigest: --names must not be negative");
      return 2;
    }
    SyntheticCapture.Shape how;
    switch (shape.toLowerCase(Locale.ROOT)) {
      case "mss" -> how = SyntheticCapture.Shape.MSS;
      case "real" -> how = SyntheticCapture.Shape.REAL;
      default -> {
        spec.commandLine().getErr().println("zkdigest: --shape must be mss or real, not " + shape);
        return 2;
      }
    }
    SyntheticCapture.Summary s =
        SyntheticCapture.write(
            file, new SyntheticCapture.Options(bytes, sessions, seed, names, how));
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "wrote %s: %,d bytes, %,d packets, %,d requests%n",
            file,
            s.bytes(),
            s.packets(),
            s.requests());
    spec.commandLine().getOut().flush();
    return 0;
  }

  static long parseSize(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    long mult = 1;
    if (v.endsWith("k")) {
      mult = 1L << 10;
    } else if (v.endsWith("m")) {
      mult = 1L << 20;
    } else if (v.endsWith("g")) {
      mult = 1L << 30;
    }
    if (mult > 1) {
      v = v.substring(0, v.length() - 1);
    }
    try {
      return (long) (Double.parseDouble(v) * mult);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a size like 100m or 1g, got '" + s + "'");
    }
  }
}
