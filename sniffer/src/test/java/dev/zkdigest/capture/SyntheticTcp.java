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

  /** VLAN tag protocol ids, outermost first: {0x88a8, 0x8100} is 802.1ad QinQ. */
  int[] vlanTags = new int[0];

  /** DLT_NULL's family in network order, as a big-endian machine writes it. */
  boolean nullBigEndian;

  /** IPv6 extension headers before TCP, by next-header code (0, 43, 60), each 8 bytes or more. */
  int[] ipv6Extensions = new int[0];

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

  /** A FIN (with ACK) from one side; it takes one sequence number. */
  byte[] fin(boolean fromClient) {
    byte[] p =
        packet(
            fromClient,
            fromClient ? clientSeq : serverSeq,
            TcpSegment.FIN | TcpSegment.ACK,
            new byte[0]);
    if (fromClient) {
      clientSeq++;
    } else {
      serverSeq++;
    }
    return p;
  }

  /** A RST from one side. */
  byte[] rst(boolean fromClient) {
    return packet(fromClient, fromClient ? clientSeq : serverSeq, TcpSegment.RST, new byte[0]);
  }

  /** A bare ACK from one side, acknowledging everything the other side sent. */
  byte[] ack(boolean fromClient) {
    return packet(fromClient, fromClient ? clientSeq : serverSeq, TcpSegment.ACK, new byte[0]);
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
      int extLen = 0;
      for (int i = 0; i < ipv6Extensions.length; i++) {
        extLen += extensionLength(i);
      }
      int first = ipv6Extensions.length > 0 ? ipv6Extensions[0] : 6;
      ByteBuffer h = ByteBuffer.allocate(40 + extLen);
      h.putInt(0x60000000).putShort((short) (extLen + tcp.capacity()));
      h.put((byte) first).put((byte) 64);
      h.put(src).put(dst);
      for (int i = 0; i < ipv6Extensions.length; i++) {
        int next = i + 1 < ipv6Extensions.length ? ipv6Extensions[i + 1] : 6;
        int len = extensionLength(i);
        // Next header, then the length in 8-byte units not counting the first.
        h.put((byte) next).put((byte) (len / 8 - 1));
        if (ipv6Extensions[i] == 43) {
          h.put(new byte[len - 2]); // routing type 0 with no segments left: nothing to route
        } else {
          h.put((byte) 1).put((byte) (len - 4)).put(new byte[len - 4]); // options: one PadN
        }
      }
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
        int[] tags = vlan ? new int[] {0x8100} : vlanTags;
        link = ByteBuffer.allocate(14 + 4 * tags.length + l3.length);
        link.put(new byte[12]);
        int vid = 42;
        for (int tpid : tags) {
          link.putShort((short) tpid).putShort((short) vid++);
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
        // The writer's host order: little-endian (x86) unless asked for a big-endian machine.
        link.putInt(nullBigEndian ? family : Integer.reverseBytes(family));
      }
      case PacketDecoder.DLT_LOOP -> {
        // OpenBSD's loopback: the family always in network order; AF_INET6 is 24 there.
        link = ByteBuffer.allocate(4 + l3.length);
        link.putInt(ipv6 ? 24 : 2);
      }
      case PacketDecoder.DLT_RAW -> link = ByteBuffer.allocate(l3.length);
      default -> throw new IllegalArgumentException("link type " + linkType);
    }
    link.put(l3);
    return link.array();
  }

  /** The i-th extension header's length: 8 bytes, or 16 for every other one. */
  private static int extensionLength(int i) {
    return i % 2 == 0 ? 8 : 16;
  }
}
