package dev.zkdigest.quorum;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Addresses as the capture writes them (dotted quad, RFC 5952 IPv6), from the host names and
 * literals servers put in their configuration and initial messages. Only literals and {@code
 * localhost} are understood: names are never looked up, since the traffic chose them.
 */
final class Addresses {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

  private Addresses() {}

  /** The capture's form of {@code host}: itself for IPv4, compressed IPv6; empty for names. */
  static List<String> ips(String host) {
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.startsWith("/")) {
      h = h.substring(1); // InetSocketAddress.toString() of an unnamed address
    }
    if (h.equalsIgnoreCase("localhost")) {
      // A server given "localhost" binds the first address it resolves to: IPv4 on common setups.
      return List.of("127.0.0.1");
    }
    if (IPV4.matcher(h).matches()) {
      return List.of(h);
    }
    if (h.indexOf(':') >= 0 && IPV6.matcher(h).matches()) {
      try {
        InetAddress a = InetAddress.getByName(h); // a literal: no lookup
        if (a instanceof Inet6Address) {
          return List.of(compress(a.getAddress()));
        }
        return List.of(a.getHostAddress());
      } catch (UnknownHostException e) {
        return List.of();
      }
    }
    return List.of();
  }

  /** {@code ip:port}, IPv6 in brackets, as {@code ConnectionMeta.hostPort} writes it. */
  static String endpoint(String ip, int port) {
    return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
  }

  /** Splits {@code host:port} or {@code [v6]:port}; null when it is neither. */
  static String[] hostPort(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      return null;
    }
    String host = s.substring(0, colon);
    String port = s.substring(colon + 1);
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      return null; // a bare IPv6 address without a port
    }
    return new String[] {host, port};
  }

  /** RFC 5952: lower-case hex groups, the longest run of two or more zero groups as "::". */
  static String compress(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
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
}
