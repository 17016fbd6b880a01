package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.protocol.ProtocolConfig;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Many capture files as one timeline: rotated sets in any order, and files that overlap. */
class CaptureFilesTest {
  @TempDir Path dir;

  /** Every packet's time and bytes, in the order read. */
  private static List<String> packets(PacketSource r) throws Exception {
    List<String> out = new ArrayList<>();
    Packet p;
    while ((p = r.next()) != null) {
      out.add(p.nanos() + "/" + java.util.Arrays.hashCode(copy(p)));
    }
    return out;
  }

  private static byte[] copy(Packet p) {
    return java.util.Arrays.copyOfRange(p.data(), p.offset(), p.offset() + p.length());
  }

  /**
   * Splits {@code f} as {@code tcpdump -C} does, one file after another, named as tcpdump names
   * them: part, part1, part2, ...
   */
  private List<Path> rotate(Path f, int packetsPerFile) throws Exception {
    List<Path> parts = new ArrayList<>();
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      PcapWriter w = null;
      OutputStream os = null;
      int n = 0;
      Packet p;
      while ((p = r.next()) != null) {
        if (n++ % packetsPerFile == 0) {
          if (w != null) {
            w.close();
          }
          Path part = dir.resolve(parts.isEmpty() ? "part" : "part" + parts.size());
          parts.add(part);
          os = Files.newOutputStream(part);
          w = new PcapWriter(os, p.linkType(), 65535, true);
        }
        w.write(p.nanos(), p.data(), p.offset(), p.length(), p.originalLength());
      }
      w.close();
    }
    return parts;
  }

  private static DigestSnapshot replay(List<Path> files, int shards) throws Exception {
    List<TcpTracker> trackers = new ArrayList<>();
    List<Digest> digests = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      Digest d = new Digest();
      digests.add(d);
      trackers.add(
          new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, d)
              .connectionIds(i + 1, shards));
    }
    CaptureReplay.run(files, trackers);
    DigestSnapshot total = DigestSnapshot.empty(Digest.Limits.DEFAULTS);
    for (Digest d : digests) {
      total = DigestSnapshot.merge(total, d.snapshot(), Digest.Limits.DEFAULTS);
    }
    return total;
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void rotatedFilesInTheShellsOrderReadAsTheOneFile() throws Exception {
    // given: one capture, and the same packets rotated into 23 files whose shell order (part,
    // part1, part10, ..., part2) is not their time order
    Path one = dir.resolve("one.pcap");
    SyntheticCapture.Summary written =
        SyntheticCapture.write(one, new SyntheticCapture.Options(1 << 20, 20, 3));
    List<Path> parts = rotate(one, (int) (written.packets() / 22));
    assertThat(parts).hasSize(23);
    List<Path> shellOrder = new ArrayList<>(parts);
    shellOrder.sort(java.util.Comparator.comparing(Path::toString));
    assertThat(shellOrder).isNotEqualTo(parts);
    List<String> expected;
    try (CaptureFileReader r = CaptureFileReader.open(one)) {
      expected = packets(r);
    }
    // when
    CaptureFiles files = new CaptureFiles(shellOrder, 1, 4096, 2, null);
    List<String> merged;
    try (CaptureFiles.Reader r = files.reader(0)) {
      merged = packets(r);
    }
    // then: every packet once, in the one file's order
    assertThat(merged).isEqualTo(expected);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void sessionsSpanningFileBoundariesCountAsInOneFile() throws Exception {
    // given
    Path one = dir.resolve("one.pcap");
    SyntheticCapture.Summary written =
        SyntheticCapture.write(
            one, new SyntheticCapture.Options(2 << 20, 8, 4, 0, SyntheticCapture.Shape.REAL));
    List<Path> shellOrder = new ArrayList<>(rotate(one, 997));
    shellOrder.sort(java.util.Comparator.comparing(Path::toString));
    for (int shards : new int[] {1, 2, 3}) {
      // when
      DigestSnapshot s = replay(shellOrder, shards);
      // then: what the generator wrote, no reply without its request
      assertThat(s.requests()).as("%d shards", shards).isEqualTo(written.requests());
      assertThat(s.responses()).isEqualTo(written.requests());
      assertThat(s.errors()).isEqualTo(written.errors());
      assertThat(s.connections()).isEqualTo(written.connections());
      assertThat(s.unmatched()).isZero();
      assertThat(s.decodeErrors()).isZero();
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void filesThatOverlapInTimeAreMergedPacketByPacket() throws Exception {
    // given: the packets dealt alternately into two files, as two interfaces' captures would be
    Path one = dir.resolve("one.pcap");
    SyntheticCapture.write(one, new SyntheticCapture.Options(300_000, 6, 8));
    Path a = dir.resolve("a.pcap");
    Path b = dir.resolve("b.pcap");
    List<String> expected;
    try (CaptureFileReader r = CaptureFileReader.open(one);
        OutputStream oa = Files.newOutputStream(a);
        OutputStream ob = Files.newOutputStream(b)) {
      PcapWriter wa = new PcapWriter(oa, PacketDecoder.DLT_EN10MB, 65535, true);
      PcapWriter wb = new PcapWriter(ob, PacketDecoder.DLT_EN10MB, 65535, true);
      expected = new ArrayList<>();
      Packet p;
      int n = 0;
      while ((p = r.next()) != null) {
        expected.add(p.nanos() + "/" + java.util.Arrays.hashCode(copy(p)));
        (n++ % 3 == 0 ? wa : wb).write(p.nanos(), p.data(), p.offset(), p.length(), p.length());
      }
      wa.close();
      wb.close();
    }
    // when: given in either order
    for (List<Path> order : List.of(List.of(a, b), List.of(b, a))) {
      try (CaptureFiles.Reader r = new CaptureFiles(order, 1, 4096, 2, null).reader(0)) {
        // then
        assertThat(packets(r)).isEqualTo(expected);
      }
    }
  }
}
