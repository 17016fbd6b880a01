package dev.zkdigest.capture;

/**
 * Parses link layer, IP and TCP headers: Ethernet (with 802.1Q/802.1ad VLAN tags), Linux cooked v1
 * and v2 ({@code tcpdump -i any}), BSD loopback (NULL and LOOP), raw IP; IPv4 and IPv6 with
 * extension headers. Anything else (ARP, UDP, IP fragments) is passed over.
 */
public final class PacketDecoder {
  public static final int DLT_NULL = 0;
  public static final int DLT_EN10MB = 1;
  public static final int DLT_RAW = 101;
  public static final int DLT_RAW_OLD1 = 12;
  public static final int DLT_RAW_OLD2 = 14;
  public static final int DLT_LOOP = 108;
  public static final int DLT_LINUX_SLL = 113;
  public static final int DLT_IPV4 = 228;
  public static final int DLT_IPV6 = 229;
  public static final int DLT_LINUX_SLL2 = 276;

  private PacketDecoder() {}

  public static boolean supportsLinkType(int linkType) {
    return switch (linkType) {
      case DLT_NULL,
          DLT_EN10MB,
          DLT_RAW,
          DLT_RAW_OLD1,
          DLT_RAW_OLD2,
          DLT_LOOP,
          DLT_LINUX_SLL,
          DLT_IPV4,
          DLT_IPV6,
          DLT_LINUX_SLL2 ->
          true;
      default -> false;
    };
  }

  /** Fills {@code seg} from {@code p}; false if the packet is not a decodable TCP segment. */
  public static boolean decode(Packet p, TcpSegment seg) {
    byte[] b = p.data();
    int off = p.offset();
    int end = off + p.length();
    int ethertype;
    switch (p.linkType()) {
      case DLT_EN10MB -> {
        if (end - off < 14) {
          return false;
        }
        ethertype = u16(b, off + 12);
        off += 14;
        while ((ethertype == 0x8100 || ethertype == 0x88a8 || ethertype == 0x9100)
            && end - off >= 4) {
          ethertype = u16(b, off + 2);
          off += 4;
        }
      }
      case DLT_LINUX_SLL -> {
        if (end - off < 16) {
          return false;
        }
        ethertype = u16(b, off + 14);
        off += 16;
      }
      case DLT_LINUX_SLL2 -> {
        if (end - off < 20) {
          return false;
        }
        ethertype = u16(b, off);
        off += 20;
      }
      case DLT_NULL, DLT_LOOP -> {
        if (end - off < 4) {
          return false;
        }
        int family =
            p.linkType() == DLT_LOOP ? CaptureFileReader.intBE(b, off) : familyAnyOrder(b, off);
        ethertype =
            family == 2 ? 0x0800 : (family == 24 || family == 28 || family == 30) ? 0x86dd : -1;
        off += 4;
      }
      case DLT_RAW, DLT_RAW_OLD1, DLT_RAW_OLD2, DLT_IPV4, DLT_IPV6 -> {
        if (end - off < 1) {
          return false;
        }
        int v = (b[off] & 0xf0) >> 4;
        ethertype = v == 4 ? 0x0800 : v == 6 ? 0x86dd : -1;
      }
      default -> {
        return false;
      }
    }
    // On the wire, the IP datagram may be longer than what was captured.
    int wireExtra = p.originalLength() - p.length();
    if (ethertype == 0x0800) {
      return ipv4(b, off, end, wireExtra, seg, p.nanos());
    }
    if (ethertype == 0x86dd) {
      return ipv6(b, off, end, wireExtra, seg, p.nanos());
    }
    return false;
  }

  private static int familyAnyOrder(byte[] b, int off) {
    int be = CaptureFileReader.intBE(b, off);
    return (be & 0xffff0000) != 0 ? Integer.reverseBytes(be) : be;
  }

  private static boolean ipv4(byte[] b, int off, int end, int wireExtra, TcpSegment s, long ns) {
    if (end - off < 20 || (b[off] & 0xf0) != 0x40) {
      return false;
    }
    int ihl = (b[off] & 0x0f) * 4;
    int total = u16(b, off + 2);
    int fragment = u16(b, off + 6);
    if (ihl < 20 || b[off + 9] != 6 || (fragment & 0x3fff) != 0) {
      return false; // not TCP, or a fragment
    }
    if (total == 0) {
      total = end - off + wireExtra; // TSO captures can carry 0
    }
    s.ipv6 = false;
    s.srcHi = 0;
    s.dstHi = 0;
    s.srcLo = CaptureFileReader.intBE(b, off + 12) & 0xffffffffL;
    s.dstLo = CaptureFileReader.intBE(b, off + 16) & 0xffffffffL;
    return tcp(b, off + ihl, end, total - ihl, s, ns);
  }

  private static boolean ipv6(byte[] b, int off, int end, int wireExtra, TcpSegment s, long ns) {
    if (end - off < 40 || (b[off] & 0xf0) != 0x60) {
      return false;
    }
    int payload = u16(b, off + 4);
    int next = b[off + 6] & 0xff;
    s.ipv6 = true;
    s.srcHi = longBE(b, off + 8);
    s.srcLo = longBE(b, off + 16);
    s.dstHi = longBE(b, off + 24);
    s.dstLo = longBE(b, off + 32);
    int p = off + 40;
    if (payload == 0) {
      payload = end - p + wireExtra; // jumbogram or TSO
    }
    int consumed = 0;
    while (next != 6) {
      if (next == 0 || next == 43 || next == 60) {
        if (end - p < 8) {
          return false;
        }
        int len = 8 + (b[p + 1] & 0xff) * 8;
        next = b[p] & 0xff;
        p += len;
        consumed += len;
      } else {
        return false; // fragment, no next header, or not TCP
      }
    }
    return tcp(b, p, end, payload - consumed, s, ns);
  }

  private static boolean tcp(byte[] b, int off, int end, int ipPayload, TcpSegment s, long ns) {
    if (end - off < 20) {
      return false;
    }
    int dataOffset = ((b[off + 12] & 0xf0) >> 4) * 4;
    if (dataOffset < 20) {
      return false;
    }
    s.nanos = ns;
    s.srcPort = u16(b, off);
    s.dstPort = u16(b, off + 2);
    s.seq = CaptureFileReader.intBE(b, off + 4);
    s.ack = CaptureFileReader.intBE(b, off + 8);
    s.flags = b[off + 13] & 0x3f;
    s.data = b;
    s.payloadOffset = off + dataOffset;
    int onWire = Math.max(0, ipPayload - dataOffset);
    int present = Math.max(0, Math.min(end - s.payloadOffset, onWire));
    s.payloadLength = present;
    s.payloadOnWire = onWire;
    return true;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  private static long longBE(byte[] b, int off) {
    return ((long) CaptureFileReader.intBE(b, off) << 32)
        | (CaptureFileReader.intBE(b, off + 4) & 0xffffffffL);
  }
}
