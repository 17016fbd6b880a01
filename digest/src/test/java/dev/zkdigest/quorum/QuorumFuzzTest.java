package dev.zkdigest.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.zkdigest.protocol.ConnectionMeta;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;

/**
 * Coverage-guided fuzzing of the quorum codecs and the quorum digest with Jazzer. In the normal
 * suite it replays its seed inputs; with {@code JAZZER_FUZZ=1} it fuzzes for its time budget
 * ({@code .ci/run} does). Whatever the bytes, chunking and gaps: no exception escapes, buffers and
 * pending proposals stay bounded, and whatever was decoded renders.
 */
class QuorumFuzzTest {

  private static ConnectionMeta meta(boolean fromStart, int port) {
    return new ConnectionMeta(1, "10.0.0.2", 40_000, "10.0.0.1", port, 1, fromStart);
  }

  @FuzzTest(maxDuration = "30s")
  void anyBytesAnyChunkingNeverThrow(FuzzedDataProvider data) {
    QuorumRecorder recorder = new QuorumRecorder();
    boolean fromStart = data.consumeBoolean();
    ElectionConnection election = new ElectionConnection(meta(fromStart, 3888), recorder);
    ZabConnection zab = new ZabConnection(meta(fromStart, 2888), recorder);
    long t = 0;
    while (data.remainingBytes() > 0) {
      int what = data.consumeInt(0, 11);
      t += 1000;
      switch (what) {
        case 0 -> election.clientGap(data.consumeInt(0, 100_000), t);
        case 1 -> zab.serverGap(data.consumeInt(0, 100_000), t);
        case 2 -> zab.clientGap(data.consumeInt(0, 100_000), t);
        case 3, 4 -> {
          // A packet-shaped start, so the fuzzer reaches the decoding behind the framing.
          byte[] p = packet(data);
          boolean leader = data.consumeBoolean();
          if (leader) {
            zab.fromServer(p, 0, p.length, t);
          } else {
            zab.fromClient(p, 0, p.length, t);
          }
        }
        case 5 -> {
          byte[] n = notification(data);
          election.fromServer(n, 0, n.length, t);
        }
        default -> {
          byte[] chunk = data.consumeBytes(data.consumeInt(0, 512));
          switch (what) {
            case 6 -> election.fromClient(chunk, 0, chunk.length, t);
            case 7 -> election.fromServer(chunk, 0, chunk.length, t);
            case 8, 9 -> zab.fromServer(chunk, 0, chunk.length, t);
            default -> zab.fromClient(chunk, 0, chunk.length, t);
          }
        }
      }
      assertThat(election.bufferedBytes()).isLessThanOrEqualTo(2 * ElectionStream.RETAIN);
      assertThat(zab.bufferedBytes()).isLessThanOrEqualTo(2 * ZabStream.RETAIN);
      assertThat(zab.pendingCount()).isLessThanOrEqualTo(ZabConnection.MAX_PENDING);
    }
    election.close(t);
    zab.close(t);
    QuorumSnapshot s = recorder.snapshot();
    QuorumText.render(s, new PrintWriter(new StringWriter()));
    QuorumJson.render(s, new PrintWriter(new StringWriter()));
    assertThat(s.merge(s).traffic().zabBytes()).isEqualTo(2 * s.traffic().zabBytes());
  }

  /** A quorum packet's header with fuzzed fields, then fuzzed data. */
  private static byte[] packet(FuzzedDataProvider data) {
    byte[] body = data.consumeBytes(data.consumeInt(0, 64));
    boolean none = data.consumeBoolean();
    return ByteBuffer.allocate(20 + body.length)
        .putInt(data.consumeInt(1, 19))
        .putLong(data.consumeLong())
        .putInt(none ? -1 : body.length)
        .put(none ? new byte[0] : body)
        .putInt(data.consumeInt(-1, 1))
        .array();
  }

  /** A framed notification with fuzzed fields and a fuzzed configuration. */
  private static byte[] notification(FuzzedDataProvider data) {
    String config = data.consumeString(200);
    byte[] c = config.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return ByteBuffer.allocate(48 + c.length)
        .putInt(44 + c.length)
        .putInt(data.consumeInt(0, 4))
        .putLong(data.consumeLong())
        .putLong(data.consumeLong())
        .putLong(data.consumeLong())
        .putLong(data.consumeLong())
        .putInt(data.consumeInt(0, 3))
        .putInt(data.consumeBoolean() ? c.length : data.consumeInt())
        .put(c)
        .array();
  }
}
