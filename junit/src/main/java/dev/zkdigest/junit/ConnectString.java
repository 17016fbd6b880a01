package dev.zkdigest.junit;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A ZooKeeper connect string: {@code host:port[,host:port...][/chroot]}, as ZooKeeper's client
 * takes it (a host without a port means 2181; IPv6 hosts in brackets).
 */
record ConnectString(List<InetSocketAddress> servers, String chroot) {
  private static final int DEFAULT_PORT = 2181;

  ConnectString {
    servers = List.copyOf(servers);
  }

  static ConnectString parse(String s) {
    String hosts = s.strip();
    String chroot = "";
    int slash = hosts.indexOf('/');
    if (slash >= 0) {
      chroot = hosts.substring(slash);
      hosts = hosts.substring(0, slash);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String part : hosts.split(",")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      String host = p;
      int port = DEFAULT_PORT;
      int colon = p.lastIndexOf(':');
      boolean bracketed = p.startsWith("[");
      if (colon > 0 && (!bracketed || colon > p.indexOf(']'))) {
        host = p.substring(0, colon);
        try {
          port = Integer.parseInt(p.substring(colon + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad port in connect string '" + s + "'");
        }
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      servers.add(InetSocketAddress.createUnresolved(host, port));
    }
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no server in connect string '" + s + "'");
    }
    return new ConnectString(servers, chroot);
  }

  List<String> serverStrings() {
    return servers.stream()
        .map(
            a ->
                (a.getHostString().contains(":")
                        ? "[" + a.getHostString() + "]"
                        : a.getHostString())
                    + ":"
                    + a.getPort())
        .toList();
  }
}
