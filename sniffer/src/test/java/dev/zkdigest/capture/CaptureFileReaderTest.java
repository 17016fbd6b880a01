package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileReaderTest {
  @TempDir Path dir;

  private static byte[] pcap(boolean nanos, byte[]... packets) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, PacketDecoder.DLT_EN10MB, 65535, nanos)) {
      long t = 1_700_000_000_123_456_789L;
      for (byte[] p : packets) {
        w.write(t, p, 0, p.length, p.length);
        t += 1_000;
      }
    }
    return out.toByteArray();
  }

  @Test
  void readsMicrosecondAndNanosecondPcap() throws Exception {
    for (boolean nanos : new boolean[] {false, true}) {
      Path f = dir.resolve("t" + nanos + ".pcap");
      Files.write(f, pcap(nanos, new byte[60], new byte[70]));
      try (CaptureFileReader r = CaptureFileReader.open(f)) {
        Packet p = r.next();
        assertThat(p.length()).isEqualTo(60);
        assertThat(p.nanos())
            .isEqualTo(nanos ? 1_700_000_000_123_456_789L : 1_700_000_000_123_456_000L);
        assertThat(r.next().length()).isEqualTo(70);
        assertThat(r.next()).isNull();
        assertThat(r.warning()).isNull();
      }
    }
  }

  @Test
  void readsBigEndianPcap() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(24 + 16 + 4).order(ByteOrder.BIG_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    b.putInt(65535).putInt(1);
    b.putInt(10).putInt(5).putInt(4).putInt(4).putInt(0xdeadbeef);
    Path f = dir.resolve("be.pcap");
    Files.write(f, b.array());
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      Packet p = r.next();
      assertThat(p.nanos()).isEqualTo(10_000_005_000L);
      assertThat(p.linkType()).isEqualTo(1);
    }
  }

  @Test
  void readsPcapngWithNanosecondResolution() throws Exception {
    ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    // Section header block
    b.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0);
    b.putLong(-1).putInt(28);
    // Interface description: Ethernet, if_tsresol = 9 (nanoseconds)
    b.putInt(1).putInt(32).putShort((short) 1).putShort((short) 0).putInt(0);
    b.putShort((short) 9).putShort((short) 1).put((byte) 9).put(new byte[3]);
    b.putInt(0).putInt(32);
    // Enhanced packet block with 6 bytes of packet data
    long ts = 1_700_000_000_000_000_042L;
    b.putInt(6).putInt(40).putInt(0).putInt((int) (ts >>> 32)).putInt((int) ts);
    b.putInt(6).putInt(6).put(new byte[] {1, 2, 3, 4, 5, 6}).put(new byte[2]).putInt(40);
    Path f = dir.resolve("t.pcapng");
    Files.write(f, Arrays.copyOf(b.array(), b.position()));
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      Packet p = r.next();
      assertThat(p.nanos()).isEqualTo(ts);
      assertThat(p.length()).isEqualTo(6);
      assertThat(p.data()[p.offset()]).isEqualTo((byte) 1);
      assertThat(r.next()).isNull();
    }
  }

  @Test
  void truncatedLastPacketEndsWithAWarningAfterTheGoodOnes() throws Exception {
    byte[] whole = pcap(false, new byte[60], new byte[70]);
    Path f = dir.resolve("cut.pcap");
    Files.write(f, Arrays.copyOf(whole, whole.length - 10));
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      assertThat(r.next()).isNotNull();
      assertThat(r.next()).isNull();
      assertThat(r.warning()).contains("truncated after 1 packets");
    }
  }

  @Test
  void badInputGivesOneLineMessages() throws Exception {
    Path empty = Files.write(dir.resolve("empty.pcap"), new byte[0]);
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello, this is not a capture");
    Path shortHeader = Files.write(dir.resolve("short.pcap"), Arrays.copyOf(pcap(false), 10));
    assertThatThrownBy(() -> CaptureFileReader.open(dir.resolve("missing.pcap")))
        .hasMessageEndingWith("missing.pcap: no such file");
    assertThatThrownBy(() -> CaptureFileReader.open(dir)).hasMessageContaining("is a directory");
    assertThatThrownBy(() -> CaptureFileReader.open(empty)).hasMessageContaining("empty file");
    assertThatThrownBy(() -> CaptureFileReader.open(text))
        .hasMessageContaining("not a pcap or pcapng file");
    assertThatThrownBy(() -> CaptureFileReader.open(shortHeader))
        .hasMessageContaining("truncated pcap file header");
  }

  @Test
  void absurdPacketLengthIsCorruptNotAnAllocation() throws Exception {
    byte[] good = pcap(false, new byte[60]);
    ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, Integer.MAX_VALUE);
    Path f = Files.write(dir.resolve("absurd.pcap"), good);
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      assertThatThrownBy(r::next).hasMessageContaining("corrupt packet record");
    }
  }
}
