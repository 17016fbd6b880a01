package dev.zkdigest.cli;

import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.CaptureReplay;
import dev.zkdigest.capture.QuorumMatcher;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.AsyncListener;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.ShowPrinter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code zkdigest replay FILE...}: digest pcap and pcapng files as one timeline. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = "Digest ZooKeeper traffic from pcap/pcapng capture files (tcpdump -w).")
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Capture files to replay.")
  List<Path> files = new ArrayList<>();

  @Mixin ServerOptions serverOptions = new ServerOptions();

  @Mixin OutputOptions output = new OutputOptions();

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Decoding threads; the connections are split between them (default: the number of"
              + " cores, at most 8; 1 with --show).")
  int threads = Math.min(8, Runtime.getRuntime().availableProcessors());

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (threads < 1 || threads > 64) {
      err.println("zkdigest: --threads must be between 1 and 64");
      return 2;
    }
    if (output.output != null) {
      for (Path f : files) {
        if (Files.exists(output.output) && Files.isSameFile(f, output.output)) {
          err.println("zkdigest: --output " + output.output + " is one of the capture files");
          return 2;
        }
      }
    }
    // --show prints messages in time order, so it needs one timeline: one shard, with printing
    // on its own thread. Otherwise the flows are split between threads, one digest each.
    int shards = output.show ? 1 : threads;
    // Usage errors (a bad --servers) before anything is opened.
    ServerMatcher matcher = serverOptions.matcher();
    QuorumMatcher quorumFlows = serverOptions.quorumMatcher();
    QuorumRecorder quorum = new QuorumRecorder(serverOptions.ensemble().identities());
    int maxConnections = Math.max(1, serverOptions.maxConnections() / shards);
    ProtocolConfig config = output.protocolConfig();
    Digest[] digests = new Digest[shards];
    List<TcpTracker> trackers = new ArrayList<>();
    AsyncListener show = null;
    for (int i = 0; i < shards; i++) {
      digests[i] = new Digest(output.digestLimits());
      TrafficListener listener = digests[i];
      if (output.show) {
        show =
            new AsyncListener(
                TrafficListeners.of(List.of(digests[i], new ShowPrinter(out, output.debug, false))),
                "zkdigest-digest");
        listener = show;
      }
      trackers.add(
          new TcpTracker(matcher, config, listener, maxConnections).connectionIds(i + 1, shards));
    }
    CaptureReplay.Result result;
    try {
      result = CaptureReplay.run(files, trackers, new QuorumTracker(quorumFlows, matcher, quorum));
    } catch (CaptureException e) {
      err.println("zkdigest: " + e.getMessage());
      return 1;
    } finally {
      if (show != null) {
        show.close();
      }
    }
    Digest digest = digests[0];
    for (int i = 1; i < shards; i++) {
      digest.merge(digests[i]);
    }
    digest.captureStat("packets", result.packets());
    digest.captureStat("tcp_segments", result.tcpSegments());
    digest.captureStat("other_packets", result.otherPackets());
    digest.captureStat("connections_evicted", result.evicted());
    for (String w : result.warnings()) {
      err.println("zkdigest: warning: " + w);
    }
    if (result.packets() == 0) {
      err.println(
          result.warnings().isEmpty()
              ? "zkdigest: no packets in "
                  + String.join(", ", files.stream().map(Path::toString).toList())
              : "zkdigest: nothing could be read from the capture");
      return 1;
    }
    if (output.wantsReport()) {
      ReportOptions opts =
          new ReportOptions(
              "replay", files.stream().map(Path::toString).toList(), output.top, output.groupBy);
      ReportWriter.write(digest, quorum.snapshot(), opts, output, out);
    }
    out.flush();
    return 0;
  }
}
