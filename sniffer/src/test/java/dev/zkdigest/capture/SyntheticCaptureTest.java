package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.protocol.ProtocolConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCaptureTest {
  @TempDir Path dir;

  @Test
  void generatedCaptureReplaysToExactlyTheRequestsWritten() throws Exception {
    Path f = dir.resolve("g.pcap");
    SyntheticCapture.Summary written =
        SyntheticCapture.write(f, new SyntheticCapture.Options(4 << 20, 50, 3));
    Digest d = new Digest();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, d);
    CaptureReplay.Result r = CaptureReplay.run(List.of(f), t);
    assertThat(r.packets()).isEqualTo(written.packets());
    DigestSnapshot s = d.snapshot();
    assertThat(s.requests()).isEqualTo(written.requests());
    assertThat(s.responses()).isEqualTo(written.requests());
    assertThat(s.connections()).isEqualTo(50);
    assertThat(s.sessions()).isEqualTo(50);
    assertThat(s.decodeErrors()).isZero();
    assertThat(s.unmatched()).isZero();
    assertThat(s.events()).isPositive();
    assertThat(s.errors()).isPositive();
  }

  @Test
  void realShapeReplaysToExactlyWhatTheGeneratorWrote() throws Exception {
    // given: the counts the generator kept as it wrote (its own record, not a decode)
    Path f = dir.resolve("r.pcap");
    SyntheticCapture.Summary written =
        SyntheticCapture.write(
            f, new SyntheticCapture.Options(3 << 20, 8, 7, 0, SyntheticCapture.Shape.REAL));
    Digest d = new Digest();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, d);
    // when
    CaptureReplay.Result r = CaptureReplay.run(List.of(f), t);
    // then
    assertThat(r.packets()).isEqualTo(written.packets());
    DigestSnapshot s = d.snapshot();
    assertThat(s.requests()).isEqualTo(written.requests());
    assertThat(s.responses()).isEqualTo(written.requests());
    assertThat(s.errors()).isEqualTo(written.errors()).isPositive();
    // The mixed sessions reconnect after each round: more connections than sessions asked for.
    assertThat(written.connections()).isGreaterThan(8);
    assertThat(s.connections()).isEqualTo(written.connections());
    assertThat(s.sessions()).isEqualTo(written.connections());
    assertThat(s.decodeErrors()).isZero();
    assertThat(s.unmatched()).isZero();
  }

  @Test
  void realShapeIsDeterministic() throws Exception {
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    var o = new SyntheticCapture.Options(1 << 20, 6, 5, 0, SyntheticCapture.Shape.REAL);
    SyntheticCapture.write(a, o);
    SyntheticCapture.write(b, o);
    assertThat(Files.mismatch(a, b)).isEqualTo(-1);
  }

  @Test
  void sameSeedSameBytes() throws Exception {
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    SyntheticCapture.write(a, new SyntheticCapture.Options(1 << 20, 10, 5));
    SyntheticCapture.write(b, new SyntheticCapture.Options(1 << 20, 10, 5));
    assertThat(Files.mismatch(a, b)).isEqualTo(-1);
  }
}
