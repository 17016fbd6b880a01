package dev.zkdigest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.TextReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/**
 * Coverage-guided fuzzing of the protocol core with Jazzer. In the normal suite it replays its seed
 * inputs; with {@code JAZZER_FUZZ=1} it fuzzes for its time budget ({@code .ci/run} does). Whatever
 * the bytes, chunking and gaps: no exception escapes and buffers stay bounded.
 */
class ZkConnectionFuzzTest {
  private static final ProtocolConfig CONFIG = new ProtocolConfig(64 * 1024, 4096, 256);

  @FuzzTest(maxDuration = "60s")
  void anyBytesAnyChunkingNeverThrow(FuzzedDataProvider data) {
    Digest digest = new Digest();
    ZkConnection c =
        new ZkConnection(RecordingListener.meta(data.consumeBoolean()), CONFIG, digest);
    long t = 0;
    while (data.remainingBytes() > 0) {
      int what = data.consumeInt(0, 9);
      byte[] chunk = data.consumeBytes(data.consumeInt(0, 512));
      t += 1000;
      if (what == 0) {
        c.clientGap(data.consumeInt(0, 100_000), t);
      } else if (what == 1) {
        c.serverGap(data.consumeInt(0, 100_000), t);
      } else if (what < 6) {
        c.fromClient(chunk, 0, chunk.length, t);
      } else {
        c.fromServer(chunk, 0, chunk.length, t);
      }
      assertThat(c.bufferedBytes()).isLessThanOrEqualTo(2 * CONFIG.retainLimit());
      assertThat(c.pendingCount()).isLessThanOrEqualTo(4 * CONFIG.maxPending() + 1);
    }
    c.close(t);
    // Whatever was decoded renders.
    ReportOptions opts = new ReportOptions("fuzz", List.of("x"), 3, dev.zkdigest.report.GroupBy.OP);
    DigestSnapshot snapshot = digest.snapshot();
    TextReport.render(snapshot, opts, new PrintWriter(new StringWriter()));
    JsonReport.render(snapshot, opts, new PrintWriter(new StringWriter()));
  }
}
