package dev.zkdigest.cli;

import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.CaptureReplay;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.AsyncListener;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.report.ReportOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

  @Override
  public Integer call() throws IOException {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (output.output != null) {
      for (Path f : files) {
        if (Files.exists(output.output) && Files.isSameFile(f, output.output)) {
          err.println("zkdigest: --output " + output.output + " is one of the capture files");
          return 2;
        }
      }
    }
    Digest digest = new Digest();
    List<TrafficListener> listeners = new ArrayList<>();
    listeners.add(digest);
    if (output.show) {
      listeners.add(new dev.zkdigest.report.ShowPrinter(out, output.debug, false));
    }
    // Decoding on this thread, digesting (and --show) on another: two cores for one replay.
    AsyncListener async = new AsyncListener(TrafficListeners.of(listeners), "zkdigest-digest");
    TcpTracker tracker = new TcpTracker(serverOptions.matcher(), output.protocolConfig(), async);
    CaptureReplay.Result result;
    try {
      result = CaptureReplay.run(files, tracker);
    } catch (CaptureException e) {
      async.close();
      err.println("zkdigest: " + e.getMessage());
      return 1;
    }
    async.close();
    digest.captureStat("packets", result.packets());
    digest.captureStat("tcp_segments", result.tcpSegments());
    digest.captureStat("other_packets", result.otherPackets());
    digest.captureStat("connections_evicted", tracker.evicted());
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
      ReportWriter.write(digest, opts, output, out);
    }
    out.flush();
    return 0;
  }
}
