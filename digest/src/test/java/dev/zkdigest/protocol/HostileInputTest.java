package dev.zkdigest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random input against the protocol core: random bytes, mutated valid frames, random
 * chunking and gaps. Nothing may escape as an exception, and buffers stay within their bounds.
 */
class HostileInputTest {
  private static final ProtocolConfig CONFIG = new ProtocolConfig(64 * 1024, 4096, 256);

  private static byte[] validClientStream() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(JuteOut.connectRequest(0, true));
    for (Op op : Op.values()) {
      if (op.isClientRequest()) {
        o.writeBytes(Samples.request(op));
      }
    }
    return o.toByteArray();
  }

  private static byte[] validServerStream() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(JuteOut.connectResponse(5, true));
    for (Op op : Op.values()) {
      if (op.isClientRequest()) {
        o.writeBytes(Samples.reply(op));
      }
    }
    return o.toByteArray();
  }

  private static void feed(ZkConnection c, Random rnd, byte[] client, byte[] server) {
    int ci = 0;
    int si = 0;
    long t = 0;
    while (ci < client.length || si < server.length) {
      t += 1000;
      boolean toServer = si >= server.length || (ci < client.length && rnd.nextBoolean());
      if (rnd.nextInt(50) == 0) {
        long gap = rnd.nextInt(200);
        if (toServer) {
          c.clientGap(gap, t);
        } else {
          c.serverGap(gap, t);
        }
      }
      if (toServer) {
        int n = Math.min(client.length - ci, 1 + rnd.nextInt(300));
        c.fromClient(client, ci, n, t);
        ci += n;
      } else {
        int n = Math.min(server.length - si, 1 + rnd.nextInt(300));
        c.fromServer(server, si, n, t);
        si += n;
      }
      assertThat(c.bufferedBytes())
          .isLessThanOrEqualTo(2 * (CONFIG.retainLimit() + FrameDecoder.SMALL));
      assertThat(c.pendingCount()).isLessThanOrEqualTo(4 * CONFIG.maxPending() + 1);
    }
    c.close(t);
  }

  @Test
  void randomBytesNeverThrowAndStayBounded() {
    Random rnd = new Random(20261124);
    for (int i = 0; i < 2_000; i++) {
      byte[] a = new byte[rnd.nextInt(4000)];
      byte[] b = new byte[rnd.nextInt(4000)];
      rnd.nextBytes(a);
      rnd.nextBytes(b);
      Digest d = new Digest();
      ZkConnection c = new ZkConnection(RecordingListener.meta(rnd.nextBoolean()), CONFIG, d);
      feed(c, rnd, a, b);
    }
  }

  @Test
  void mutatedValidFramesNeverThrowAndAreCountedAsDecodeErrors() {
    Random rnd = new Random(7);
    byte[] client = validClientStream();
    byte[] server = validServerStream();
    long decodeErrors = 0;
    for (int i = 0; i < 3_000; i++) {
      byte[] a = Arrays.copyOf(client, client.length);
      byte[] b = Arrays.copyOf(server, server.length);
      for (byte[] x : new byte[][] {a, b}) {
        int flips = 1 + rnd.nextInt(6);
        for (int f = 0; f < flips; f++) {
          int at = rnd.nextInt(x.length);
          switch (rnd.nextInt(4)) {
            case 0 -> x[at] = (byte) rnd.nextInt(256);
            case 1 -> x[at] = (byte) 0xff; // negative lengths and counts
            case 2 -> x[at] = 0x7f; // huge lengths
            default -> x[at] = 0;
          }
        }
      }
      Digest d = new Digest();
      ZkConnection c = new ZkConnection(RecordingListener.meta(true), CONFIG, d);
      feed(c, rnd, a, b);
      decodeErrors += d.snapshot().counter(Counter.DECODE_ERRORS);
    }
    assertThat(decodeErrors).isPositive();
  }

  @Test
  void hugeClaimedLengthsAreNeverAllocated() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = new ZkConnection(RecordingListener.meta(true), CONFIG, l);
    byte[] hs = JuteOut.connectRequest(0, true);
    c.fromClient(hs, 0, hs.length, 1);
    // A frame claiming 60 MiB, then a string claiming 2 GiB inside a small frame.
    byte[] claim = {0x03, (byte) 0xc0, 0, 0, 0, 0, 0, 1};
    c.fromClient(claim, 0, claim.length, 2);
    assertThat(c.bufferedBytes()).isLessThanOrEqualTo(CONFIG.retainLimit());
    RecordingListener l2 = new RecordingListener();
    ZkConnection c2 = new ZkConnection(RecordingListener.meta(true), CONFIG, l2);
    c2.fromClient(hs, 0, hs.length, 1);
    byte[] f = JuteOut.request(1, Op.GET_DATA).i32(Integer.MAX_VALUE).frame();
    c2.fromClient(f, 0, f.length, 2);
    assertThat(l2.decodeErrors).containsExactly("truncated getData request");
  }
}
