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
 * inputs ({@code ZkConnectionFuzzTestInputs/<method>/}); with {@code JAZZER_FUZZ=1} it fuzzes for
 * its time budget ({@code .ci/run} does, one method per run). Whatever the bytes, chunking and
 * gaps: no exception escapes and buffers stay bounded.
 *
 * <p>Seeds: for {@code anyBytesAnyChunkingNeverThrow}, the corpus a fuzzing run kept (inputs that
 * added coverage); for {@code scriptedSession}, well-formed sessions of every opcode written by
 * {@link FuzzSessions}, whole, cut into small chunks, joined mid-stream and with capture gaps.
 */
class ZkConnectionFuzzTest {
  private static final ProtocolConfig CONFIG = new ProtocolConfig(64 * 1024, 4096, 256);

  @FuzzTest(maxDuration = "30s")
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

  /** The kinds of step in a {@link #scriptedSession} script. */
  static final int CLIENT_BYTES = 0;

  static final int SERVER_BYTES = 1;
  static final int CLIENT_GAP = 2;
  static final int SERVER_GAP = 3;

  /**
   * A connection fed by a script that seeds can spell out: {@code fromStart:u8 step*}, each step
   * {@code kind:u8 length:u16} followed, for bytes, by that many bytes; a gap of {@code length}
   * bytes has none. The fuzzer mutates real sessions instead of starting from nothing.
   */
  @FuzzTest(maxDuration = "30s")
  void scriptedSession(byte[] script) {
    if (script.length == 0) {
      return;
    }
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(script);
    Digest digest = new Digest();
    ZkConnection c = new ZkConnection(RecordingListener.meta((in.get() & 1) != 0), CONFIG, digest);
    long t = 0;
    while (in.remaining() >= 3) {
      int kind = (in.get() & 0xff) % 4;
      int length = in.getShort() & 0xffff;
      t += 1000;
      switch (kind) {
        case CLIENT_GAP -> c.clientGap(length, t);
        case SERVER_GAP -> c.serverGap(length, t);
        default -> {
          int n = Math.min(length, in.remaining());
          int at = in.position();
          in.position(at + n);
          if (kind == CLIENT_BYTES) {
            c.fromClient(script, at, n, t);
          } else {
            c.fromServer(script, at, n, t);
          }
        }
      }
      assertThat(c.bufferedBytes()).isLessThanOrEqualTo(2 * CONFIG.retainLimit());
      assertThat(c.pendingCount()).isLessThanOrEqualTo(4 * CONFIG.maxPending() + 1);
    }
    c.close(t);
    ReportOptions opts =
        new ReportOptions("fuzz", List.of("x"), 3, dev.zkdigest.report.GroupBy.PATTERN);
    JsonReport.render(digest.snapshot(), opts, new PrintWriter(new StringWriter()));
  }
}
