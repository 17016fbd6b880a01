package dev.zkdigest.capture;

import java.net.Inet4Address;
import java.net.InetAddress;

/** An IP address and port, IPv4 kept in the low word. */
public record Endpoint(boolean ipv6, long hi, long lo, int port) {

  public static Endpoint of(InetAddress addr, int port) {
    byte[] b = addr.getAddress();
    if (addr instanceof Inet4Address) {
      return new Endpoint(false, 0, CaptureFileReader.intBE(b, 0) & 0xffffffffL, port);
    }
    long hi =
        ((long) CaptureFileReader.intBE(b, 0) << 32)
            | (CaptureFileReader.intBE(b, 4) & 0xffffffffL);
    long lo =
        ((long) CaptureFileReader.intBE(b, 8) << 32)
            | (CaptureFileReader.intBE(b, 12) & 0xffffffffL);
    return new Endpoint(true, hi, lo, port);
  }

  /** The address as people write it: dotted quad, or RFC 5952 compressed IPv6. */
  public String ip() {
    return ip(ipv6, hi, lo);
  }

  static String ip(boolean ipv6, long hi, long lo) {
    if (!ipv6) {
      return ((lo >>> 24) & 0xff)
          + "."
          + ((lo >>> 16) & 0xff)
          + "."
          + ((lo >>> 8) & 0xff)
          + "."
          + (lo & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) ((hi >>> (48 - 16 * i)) & 0xffff);
      g[i + 4] = (int) ((lo >>> (48 - 16 * i)) & 0xffff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] == 0) {
        int j = i;
        while (j < 8 && g[j] == 0) {
          j++;
        }
        if (j - i > bestLen) {
          bestStart = i;
          bestLen = j - i;
        }
        i = j;
      } else {
        i++;
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return ipv6 ? "[" + ip() + "]:" + port : ip() + ":" + port;
  }
}
