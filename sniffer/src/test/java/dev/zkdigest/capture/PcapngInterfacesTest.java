package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RecordingListener;
import dev.zkdigest.protocol.Samples;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pcapng file with several interfaces of different link types and timestamp resolutions (as
 * {@code dumpcap -i eth0 -i lo -i any} writes), packets of three sessions interleaved across them.
 */
class PcapngInterfacesTest {
  @TempDir Path dir;

  private static List<byte[]> session(SyntheticTcp c, Op op) {
    return List.of(
        c.syn(),
        c.synAck(),
        c.fromClient(JuteOut.connectRequest(0, true)),
        c.fromServer(JuteOut.connectResponse(77, true)),
        c.fromClient(Samples.request(op)),
        c.fromServer(Samples.reply(op)));
  }

  private static final long START_SECONDS = 1_700_000_000L;

  private Path write(ByteOrder order) throws Exception {
    // Ethernet in microseconds (no option), Linux cooked v2 in nanoseconds, raw IP in 2^-20 s.
    PcapngBuilder f = new PcapngBuilder(order);
    f.iface(PacketDecoder.DLT_EN10MB, -1);
    f.iface(PacketDecoder.DLT_LINUX_SLL2, 9);
    f.iface(PacketDecoder.DLT_RAW, 0x80 | 20);
    List<List<byte[]>> sessions =
        List.of(
            session(new SyntheticTcp(PacketDecoder.DLT_EN10MB, false, 40001, 2181), Op.GET_DATA),
            session(new SyntheticTcp(PacketDecoder.DLT_LINUX_SLL2, true, 40002, 2181), Op.CREATE2),
            session(new SyntheticTcp(PacketDecoder.DLT_RAW, false, 40003, 2181), Op.EXISTS));
    // Interleaved: packet i of each session in turn, one millisecond apart.
    long ms = 0;
    for (int i = 0; i < sessions.get(0).size(); i++) {
      for (int s = 0; s < sessions.size(); s++) {
        long nanos = START_SECONDS * 1_000_000_000L + ms * 1_000_000L;
        long units =
            switch (s) {
              case 0 -> nanos / 1_000;
              case 1 -> nanos;
              default -> (nanos / 1_000_000_000L << 20) + ms * (1L << 20) / 1000 % (1L << 20);
            };
        f.packet(s, units, sessions.get(s).get(i));
        ms++;
      }
    }
    Path p = dir.resolve("three-interfaces-" + order + ".pcapng");
    Files.write(p, f.bytes());
    return p;
  }

  @Test
  void everyInterfaceKeepsItsLinkTypeAndTimestampResolution() throws Exception {
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      Path f = write(order);
      // Each packet's link type and time, as the reader gives them.
      List<String> ours = new ArrayList<>();
      try (CaptureFileReader r = CaptureFileReader.open(f)) {
        for (Packet p = r.next(); p != null; p = r.next()) {
          long sinceStart = p.nanos() - START_SECONDS * 1_000_000_000L;
          ours.add(p.linkType() + " " + Math.round(sinceStart / 1e6));
        }
        assertThat(r.warning()).isNull();
      }
      // tshark's reading of the same file: the interface's link type and the time in ms.
      List<String> theirs = new ArrayList<>();
      for (String line :
          Tshark.fields(f, "frame.interface_id", "frame.time_epoch", "tcp.srcport")) {
        String[] c = line.split("\t");
        int dlt =
            switch (Integer.parseInt(c[0])) {
              case 0 -> PacketDecoder.DLT_EN10MB;
              case 1 -> PacketDecoder.DLT_LINUX_SLL2;
              default -> PacketDecoder.DLT_RAW;
            };
        long msSinceStart = Math.round(Double.parseDouble(c[1]) * 1000) - START_SECONDS * 1_000;
        theirs.add(dlt + " " + msSinceStart);
        assertThat(c[2]).as("tshark decodes TCP on interface %s", c[0]).isNotEmpty();
      }
      assertThat(ours).hasSize(18).isEqualTo(theirs);
    }
  }

  @Test
  void sessionsOnEveryInterfaceAreDecoded() throws Exception {
    RecordingListener l = new RecordingListener();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, l);
    CaptureReplay.Result r = CaptureReplay.run(List.of(write(ByteOrder.BIG_ENDIAN)), t);
    assertThat(r.packets()).isEqualTo(18);
    assertThat(r.otherPackets()).isZero();
    assertThat(l.requestOps())
        .containsExactly(Op.CONNECT, Op.CONNECT, Op.CONNECT, Op.GET_DATA, Op.CREATE2, Op.EXISTS);
    assertThat(l.replies).hasSize(6);
    assertThat(l.decodeErrors).isEmpty();
  }
}
