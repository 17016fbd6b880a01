package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures read in place from chunks: records that straddle chunks, and chunks shared by shards.
 */
class ChunkedReadingTest {
  @TempDir Path dir;

  /** Every packet's time, length and bytes, in order, as one fingerprint per packet. */
  private static List<String> packets(CaptureFileReader r) throws Exception {
    List<String> out = new ArrayList<>();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    Packet p;
    while ((p = r.next()) != null) {
      sha.update(p.data(), p.offset(), p.length());
      out.add(p.nanos() + "/" + p.length() + "/" + HexFormat.of().formatHex(sha.digest()));
    }
    return out;
  }

  @Test
  void recordsStraddlingChunksOfAnySizeReadTheSame() throws Exception {
    // given: a capture with packets from 54 bytes to a full MSS, read with one large chunk
    Path f = dir.resolve("s.pcap");
    SyntheticCapture.write(f, new SyntheticCapture.Options(200_000, 7, 11));
    byte[] bytes = Files.readAllBytes(f);
    List<String> expected;
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      expected = packets(r);
    }
    assertThat(expected).hasSizeGreaterThan(100);
    // when: the same bytes arrive in chunks smaller than a record header, a record, or odd sizes
    for (int chunk : new int[] {1, 3, 15, 16, 17, 100, 1_513, 4_096, 65_537}) {
      try (CaptureFileReader r =
          CaptureFileReader.open("t", ChunkSource.of(new ByteArrayInputStream(bytes), chunk))) {
        // then
        assertThat(packets(r)).as("chunks of %d bytes", chunk).isEqualTo(expected);
      }
    }
  }

  @Test
  void pcapngBlocksStraddlingChunksReadTheSame() throws Exception {
    ByteArrayOutputStream ng = new ByteArrayOutputStream();
    java.nio.ByteBuffer b =
        java.nio.ByteBuffer.allocate(4096).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0);
    b.putLong(-1).putInt(28);
    b.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(65535).putInt(20);
    for (int i = 0; i < 5; i++) {
      int cap = 60 + i * 7;
      int padded = (cap + 3) & ~3;
      int len = 32 + padded;
      b.putInt(6).putInt(len).putInt(0).putInt(0).putInt(1_000 + i).putInt(cap).putInt(cap);
      for (int k = 0; k < padded; k++) {
        b.put((byte) (k < cap ? i + k : 0));
      }
      b.putInt(len);
    }
    ng.write(b.array(), 0, b.position());
    byte[] bytes = ng.toByteArray();
    List<String> expected;
    try (CaptureFileReader r =
        CaptureFileReader.open("big", ChunkSource.of(new ByteArrayInputStream(bytes), 1 << 20))) {
      expected = packets(r);
    }
    assertThat(expected).hasSize(5);
    for (int chunk = 1; chunk < 80; chunk++) {
      try (CaptureFileReader r =
          CaptureFileReader.open("t", ChunkSource.of(new ByteArrayInputStream(bytes), chunk))) {
        assertThat(packets(r)).as("chunks of %d bytes", chunk).isEqualTo(expected);
      }
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void everyCursorSeesTheWholeStreamAndAStoppedOneHoldsNobodyBack() throws Exception {
    // given: 3 readers of one stream through a ring of 4 small chunks
    byte[] data = new byte[1_000_000];
    new java.util.Random(1).nextBytes(data);
    SharedChunks shared = new SharedChunks(new ByteArrayInputStream(data), "t", 3, 1_000, 4);
    ByteArrayOutputStream[] seen = new ByteArrayOutputStream[3];
    Thread[] threads = new Thread[3];
    for (int i = 0; i < 3; i++) {
      int me = i;
      seen[i] = new ByteArrayOutputStream();
      threads[i] =
          new Thread(
              () -> {
                try (ChunkSource c = shared.cursor(me)) {
                  ChunkSource.Chunk k;
                  int taken = 0;
                  while ((k = c.next()) != null) {
                    seen[me].write(k.data, 0, k.length);
                    c.release(k);
                    // when: reader 2 stops after 10 chunks without releasing its last one
                    if (me == 2 && ++taken == 10) {
                      c.next();
                      return;
                    }
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    // then: the others read everything, in order
    assertThat(seen[0].toByteArray()).isEqualTo(data);
    assertThat(seen[1].toByteArray()).isEqualTo(data);
    assertThat(seen[2].size()).isEqualTo(10_000);
  }

  @Test
  void shardedReplayCountsWhatOneThreadCounts() throws Exception {
    Path f = dir.resolve("g.pcap");
    SyntheticCapture.Summary written =
        SyntheticCapture.write(f, new SyntheticCapture.Options(3 << 20, 40, 9));
    for (int shards : new int[] {1, 2, 3, 5}) {
      dev.zkdigest.digest.Digest[] digests = new dev.zkdigest.digest.Digest[shards];
      List<TcpTracker> trackers = new java.util.ArrayList<>();
      for (int i = 0; i < shards; i++) {
        digests[i] = new dev.zkdigest.digest.Digest();
        trackers.add(
            new TcpTracker(
                    ServerMatcher.ports(2181),
                    dev.zkdigest.protocol.ProtocolConfig.DEFAULTS,
                    digests[i])
                .connectionIds(i + 1, shards));
      }
      CaptureReplay.Result r = CaptureReplay.run(List.of(f), trackers);
      var limits = dev.zkdigest.digest.Digest.Limits.DEFAULTS;
      var s = dev.zkdigest.digest.DigestSnapshot.empty(limits);
      for (int i = 0; i < shards; i++) {
        s = dev.zkdigest.digest.DigestSnapshot.merge(s, digests[i].snapshot(), limits);
      }
      assertThat(r.packets()).isEqualTo(written.packets());
      assertThat(r.tcpSegments()).isEqualTo(written.packets());
      assertThat(s.requests()).as("%d shards", shards).isEqualTo(written.requests());
      assertThat(s.responses()).isEqualTo(written.requests());
      assertThat(s.connections()).isEqualTo(40);
      assertThat(s.unmatched()).isZero();
      assertThat(s.pending()).isZero();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aCaptureTrickledThroughAPipeIsCountedAsTheGeneratorWroteIt() throws Exception {
    // given: a capture written to a pipe in odd-sized pieces, as libpcap's stream comes
    Path f = dir.resolve("p.pcap");
    SyntheticCapture.Summary written =
        SyntheticCapture.write(f, new SyntheticCapture.Options(1 << 20, 12, 5));
    byte[] bytes = Files.readAllBytes(f);
    for (int shards : new int[] {1, 3}) {
      java.io.PipedInputStream in = new java.io.PipedInputStream(4096);
      java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
      Thread writer =
          new Thread(
              () -> {
                try (out) {
                  for (int off = 0; off < bytes.length; off += 1_000) {
                    out.write(bytes, off, Math.min(1_000, bytes.length - off));
                  }
                } catch (java.io.IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      writer.start();
      dev.zkdigest.digest.Digest[] digests = new dev.zkdigest.digest.Digest[shards];
      List<TcpTracker> trackers = new ArrayList<>();
      for (int i = 0; i < shards; i++) {
        digests[i] = new dev.zkdigest.digest.Digest();
        trackers.add(
            new TcpTracker(
                    ServerMatcher.ports(2181),
                    dev.zkdigest.protocol.ProtocolConfig.DEFAULTS,
                    digests[i])
                .connectionIds(i + 1, shards));
      }
      // when
      CaptureReplay.Result r = CaptureReplay.run("pipe", in, trackers, null);
      writer.join();
      // then
      var limits = dev.zkdigest.digest.Digest.Limits.DEFAULTS;
      var s = dev.zkdigest.digest.DigestSnapshot.empty(limits);
      for (int i = 0; i < shards; i++) {
        s = dev.zkdigest.digest.DigestSnapshot.merge(s, digests[i].snapshot(), limits);
      }
      assertThat(r.warnings()).isEmpty();
      assertThat(r.packets()).as("%d shards", shards).isEqualTo(written.packets());
      assertThat(s.requests()).isEqualTo(written.requests());
      assertThat(s.responses()).isEqualTo(written.requests());
      assertThat(s.unmatched()).isZero();
    }
  }

  @Test
  void aCorruptFileFailsEveryShardWithOneMessage() throws Exception {
    Path f = dir.resolve("bad.pcap");
    Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertThatThrownBy(
            () ->
                CaptureReplay.run(
                    List.of(f),
                    java.util.Collections.nCopies(4, ServerMatcher.ports(2181)).stream()
                        .map(
                            m ->
                                new TcpTracker(
                                    m,
                                    dev.zkdigest.protocol.ProtocolConfig.DEFAULTS,
                                    new dev.zkdigest.protocol.TrafficListener() {}))
                        .toList()))
        .isInstanceOf(CaptureException.class)
        .hasMessageContaining("not a pcap or pcapng file");
  }
}
