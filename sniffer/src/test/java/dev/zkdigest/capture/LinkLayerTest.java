package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.RecordingListener;
import dev.zkdigest.protocol.Samples;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Link layers and IP headers the decoder claims (DLT_NULL in either byte order, DLT_LOOP, 802.1ad
 * QinQ, IPv6 extension headers), built by test code and read by both the decoder and tshark, so a
 * builder and a parser sharing one misreading of a header cannot pass together.
 */
class LinkLayerTest {
  @TempDir Path dir;

  /** One way of framing the same session. */
  private record Variant(String name, int linkType, boolean ipv6, Consumer<SyntheticTcp> setup) {
    SyntheticTcp tcp() {
      SyntheticTcp t = new SyntheticTcp(linkType, ipv6, 40000, 2181);
      setup.accept(t);
      return t;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> variants() {
    List<Variant> v = new ArrayList<>();
    for (boolean ipv6 : new boolean[] {false, true}) {
      String ip = ipv6 ? " IPv6" : " IPv4";
      v.add(new Variant("NULL little-endian" + ip, PacketDecoder.DLT_NULL, ipv6, t -> {}));
      v.add(
          new Variant(
              "NULL big-endian" + ip, PacketDecoder.DLT_NULL, ipv6, t -> t.nullBigEndian = true));
      v.add(new Variant("LOOP" + ip, PacketDecoder.DLT_LOOP, ipv6, t -> {}));
      v.add(
          new Variant(
              "QinQ 802.1ad" + ip,
              PacketDecoder.DLT_EN10MB,
              ipv6,
              t -> t.vlanTags = new int[] {0x88a8, 0x8100}));
      v.add(
          new Variant(
              "QinQ 0x9100, three tags" + ip,
              PacketDecoder.DLT_EN10MB,
              ipv6,
              t -> t.vlanTags = new int[] {0x9100, 0x8100, 0x8100}));
    }
    v.add(
        new Variant(
            "IPv6 hop-by-hop",
            PacketDecoder.DLT_EN10MB,
            true,
            t -> t.ipv6Extensions = new int[] {0}));
    v.add(
        new Variant(
            "IPv6 hop-by-hop, destination options",
            PacketDecoder.DLT_EN10MB,
            true,
            t -> t.ipv6Extensions = new int[] {0, 60}));
    v.add(
        new Variant(
            "IPv6 hop-by-hop, routing, destination options, QinQ",
            PacketDecoder.DLT_EN10MB,
            true,
            t -> {
              t.ipv6Extensions = new int[] {0, 43, 60};
              t.vlanTags = new int[] {0x88a8, 0x8100};
            }));
    v.add(
        new Variant(
            "IPv6 routing header over NULL big-endian",
            PacketDecoder.DLT_NULL,
            true,
            t -> {
              t.ipv6Extensions = new int[] {43};
              t.nullBigEndian = true;
            }));
    return v.stream().map(Arguments::of);
  }

  /** The handshake, a getData and a create2 with their replies, then both FINs. */
  private static List<byte[]> session(SyntheticTcp c) {
    List<byte[]> out = new ArrayList<>();
    out.add(c.syn());
    out.add(c.synAck());
    out.add(c.fromClient(JuteOut.connectRequest(0, true)));
    out.add(c.fromServer(JuteOut.connectResponse(77, true)));
    for (Op op : new Op[] {Op.GET_DATA, Op.CREATE2}) {
      out.add(c.fromClient(Samples.request(op)));
      out.add(c.fromServer(Samples.reply(op)));
    }
    out.add(c.fin(true));
    out.add(c.fin(false));
    return out;
  }

  private static RecordingListener decode(List<byte[]> packets, int linkType) {
    RecordingListener l = new RecordingListener();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, l);
    TcpSegment seg = new TcpSegment();
    long ns = 1_000_000;
    for (byte[] p : packets) {
      assertThat(PacketDecoder.decode(new Packet(ns, linkType, p, 0, p.length, p.length), seg))
          .isTrue();
      t.segment(seg);
      ns += 1000;
    }
    t.finish();
    return l;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("variants")
  void decodesEverySegmentOfTheSession(Variant v) {
    List<byte[]> packets = session(v.tcp());
    RecordingListener l = decode(packets, v.linkType());
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_DATA, Op.CREATE2);
    assertThat(l.replies).hasSize(3);
    assertThat(l.decodeErrors).isEmpty();
    assertThat(l.closed).hasSize(1);
  }

  @Test
  void tsharkFindsTheSameTcpSegments() throws Exception {
    // given: every variant's session in one pcapng, one interface per variant (one tshark run)
    List<Variant> all = variants().map(a -> (Variant) a.get()[0]).toList();
    PcapngBuilder f = new PcapngBuilder(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (Variant v : all) {
      f.iface(v.linkType(), -1);
    }
    List<String> ours = new ArrayList<>();
    TcpSegment seg = new TcpSegment();
    long us = 1_700_000_000_000_000L;
    for (int i = 0; i < all.size(); i++) {
      Variant v = all.get(i);
      for (byte[] p : session(v.tcp())) {
        f.packet(i, us++, p);
        // when: the decoder reads each packet's ports and payload length...
        assertThat(PacketDecoder.decode(new Packet(0, v.linkType(), p, 0, p.length, p.length), seg))
            .as(v.name())
            .isTrue();
        ours.add(i + "\t" + seg.srcPort + "\t" + seg.dstPort + "\t" + seg.payloadLength);
      }
    }
    Path file = Files.write(dir.resolve("variants.pcapng"), f.bytes());
    // ...and tshark reads the same
    List<String> theirs =
        Tshark.fields(file, "frame.interface_id", "tcp.srcport", "tcp.dstport", "tcp.len");
    // then
    assertThat(ours).hasSize(all.size() * 10).isEqualTo(theirs);
  }

  @Test
  void nullWithAnUnknownFamilyIsNotTcp() {
    SyntheticTcp c = new SyntheticTcp(PacketDecoder.DLT_NULL, false, 40000, 2181);
    byte[] p = c.syn();
    p[0] = 0;
    p[1] = 0;
    p[2] = 0;
    p[3] = 7; // AF_7: neither IPv4 nor IPv6, in either byte order
    assertThat(PacketDecoder.decode(new Packet(0, 0, p, 0, p.length, p.length), new TcpSegment()))
        .isFalse();
  }

  @Test
  void ipv6FragmentHeaderIsPassedOver() {
    SyntheticTcp c = new SyntheticTcp(PacketDecoder.DLT_EN10MB, true, 40000, 2181);
    c.ipv6Extensions = new int[] {0};
    byte[] p = c.fromClient(Samples.request(Op.GET_DATA));
    p[14 + 40] = 44; // hop-by-hop's next header: a fragment header, which cannot be reassembled
    assertThat(PacketDecoder.decode(new Packet(0, 1, p, 0, p.length, p.length), new TcpSegment()))
        .isFalse();
  }
}
