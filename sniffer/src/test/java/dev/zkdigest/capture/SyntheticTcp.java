package dev.zkdigest.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Builds link, IP and TCP headers around payloads, for tests. */
final class SyntheticTcp {
  final int linkType;
  final boolean ipv6;
  final byte[] clientIp;
  final byte[] serverIp;
  final int clientPort;
  final int serverPort;
  int clientSeq = 1000;
  int serverSeq = 50_000;
  boolean vlan;

  SyntheticTcp(int linkType, boolean ipv6, int clientPort, int serverPort) {
    this.linkType = linkType;
    this.ipv6 = ipv6;
    this.clientIp = ipv6 ? addr6(1) : new byte[] {10, 0, 0, 1};
    this.serverIp = ipv6 ? addr6(2) : new byte[] {10, 0, 0, 2};
    this.clientPort = clientPort;
    this.serverPort = serverPort;
  }

  private static byte[] addr6(int last) {
    byte[] a = new byte[16];
    a[0] = (byte) 0xfd;
    a[15] = (byte) last;
    return a;
  }

  byte[] syn() {
    byte[] p = packet(true, clientSeq, TcpSegment.SYN, new byte[0]);
    clientSeq++;
    return p;
  }

  byte[] synAck() {
    byte[] p = packet(false, serverSeq, TcpSegment.SYN | TcpSegment.ACK, new byte[0]);
    serverSeq++;
    return p;
  }

  byte[] fromClient(byte[] payload) {
    byte[] p = packet(true, clientSeq, TcpSegment.ACK, payload);
    clientSeq += payload.length;
    return p;
  }

  byte[] fromServer(byte[] payload) {
    byte[] p = packet(false, serverSeq, TcpSegment.ACK, payload);
    serverSeq += payload.length;
    return p;
  }

  byte[] packet(boolean fromClient, int seq, int flags, byte[] payload) {
    ByteBuffer tcp = ByteBuffer.allocate(20 + payload.length);
    tcp.putShort((short) (fromClient ? clientPort : serverPort));
    tcp.putShort((short) (fromClient ? serverPort : clientPort));
    tcp.putInt(seq).putInt(fromClient ? serverSeq : clientSeq);
    tcp.put((byte) (5 << 4)).put((byte) flags).putShort((short) 65535);
    tcp.putInt(0);
    tcp.put(payload);
    byte[] src = fromClient ? clientIp : serverIp;
    byte[] dst = fromClient ? serverIp : clientIp;
    ByteArrayOutputStream ip = new ByteArrayOutputStream();
    if (ipv6) {
      ByteBuffer h = ByteBuffer.allocate(40);
      h.putInt(0x60000000).putShort((short) tcp.capacity()).put((byte) 6).put((byte) 64);
      h.put(src).put(dst);
      ip.writeBytes(h.array());
    } else {
      ByteBuffer h = ByteBuffer.allocate(20);
      h.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcp.capacity()));
      h.putInt(0).put((byte) 64).put((byte) 6).putShort((short) 0);
      h.put(src).put(dst);
      ip.writeBytes(h.array());
    }
    ip.writeBytes(tcp.array());
    byte[] l3 = ip.toByteArray();
    int ethertype = ipv6 ? 0x86dd : 0x0800;
    ByteBuffer link;
    switch (linkType) {
      case PacketDecoder.DLT_EN10MB -> {
        link = ByteBuffer.allocate(14 + (vlan ? 4 : 0) + l3.length);
        link.put(new byte[12]);
        if (vlan) {
          link.putShort((short) 0x8100).putShort((short) 42);
        }
        link.putShort((short) ethertype);
      }
      case PacketDecoder.DLT_LINUX_SLL -> {
        link = ByteBuffer.allocate(16 + l3.length);
        link.put(new byte[14]).putShort((short) ethertype);
      }
      case PacketDecoder.DLT_LINUX_SLL2 -> {
        link = ByteBuffer.allocate(20 + l3.length);
        link.putShort((short) ethertype).put(new byte[18]);
      }
      case PacketDecoder.DLT_NULL -> {
        link = ByteBuffer.allocate(4 + l3.length);
        int family = ipv6 ? 30 : 2;
        link.putInt(Integer.reverseBytes(family)); // host order, little-endian machine
      }
      case PacketDecoder.DLT_RAW -> link = ByteBuffer.allocate(l3.length);
      default -> throw new IllegalArgumentException("link type " + linkType);
    }
    link.put(l3);
    return link.array();
  }
}
