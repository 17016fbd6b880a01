package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.report.GroupBy;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Coverage-guided fuzzing of the capture readers (pcap, pcapng), link/IP/TCP parsing, reassembly
 * and the protocol core behind them, with whole capture files as input. In the normal suite it
 * replays its seeds ({@code CaptureFuzzTestInputs/anyCaptureFile/}: real captures of ZooKeeper's
 * Java client recorded with tcpdump, in pcap, pcapng and Linux cooked form, and synthetic ones of
 * every link type; see {@link FuzzSeeds}); with {@code JAZZER_FUZZ=1} it fuzzes ({@code .ci/run}).
 * Whatever the bytes: a one-line {@link CaptureException} at most, and the report renders.
 */
class CaptureFuzzTest {
  /** Small caps, so the fuzzer reaches the paths past them. */
  private static final ProtocolConfig CONFIG = new ProtocolConfig(64 * 1024, 4096, 256);

  private static final int MAX_CONNECTIONS = 64;

  @FuzzTest(maxDuration = "45s")
  void anyCaptureFile(byte[] file) {
    Digest digest = new Digest();
    TcpTracker tracker = new TcpTracker(ServerMatcher.ports(2181), CONFIG, digest, MAX_CONNECTIONS);
    try {
      CaptureReplay.runSources(
          List.of(CaptureFileReader.open("fuzz.pcap", new ByteArrayInputStream(file))), tracker);
      assertThat(tracker.openConnections()).isZero(); // the end of input closed every one
    } catch (CaptureException e) {
      assertThat(e.getMessage()).startsWith("fuzz.pcap:").doesNotContain("\n");
    }
    JsonReport.render(
        digest.snapshot(),
        new ReportOptions("fuzz", List.of("fuzz.pcap"), 3, GroupBy.PATTERN),
        new PrintWriter(new StringWriter()));
  }
}
