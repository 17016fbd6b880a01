package dev.zkdigest.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the kernel holds in a TCP socket's queues, from {@code /proc/net/tcp} and {@code tcp6}: the
 * independent record of where bytes are when a test asks who buffers them.
 */
final class KernelSockets {
  private KernelSockets() {}

  /** Bytes queued in one socket, identified by its local and remote loopback ports. */
  record Queues(long send, long receive) {}

  /** The socket from {@code localPort} to {@code remotePort}, or zeros if there is none. */
  static Queues of(int localPort, int remotePort) {
    for (String[] f : sockets()) {
      if (port(f[1]) == localPort && port(f[2]) == remotePort) {
        String[] q = f[4].split(":");
        return new Queues(Long.parseLong(q[0], 16), Long.parseLong(q[1], 16));
      }
    }
    return new Queues(0, 0);
  }

  /** Local ports of the established sockets connected to {@code remotePort}. */
  static List<Integer> connectedTo(int remotePort) {
    return sockets().stream()
        .filter(f -> port(f[2]) == remotePort && f[3].equals(ESTABLISHED))
        .map(f -> port(f[1]))
        .toList();
  }

  private static final String ESTABLISHED = "01";

  /** Each line's fields: sl, local_address, rem_address, st, tx_queue:rx_queue, ... */
  private static List<String[]> sockets() {
    try {
      // Java's sockets are IPv6 sockets, IPv4 addresses mapped: they are listed in tcp6.
      List<String[]> all = new java.util.ArrayList<>();
      for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
        List<String> lines = Files.readAllLines(Path.of(table));
        lines.subList(1, lines.size()).forEach(l -> all.add(l.trim().split("\\s+")));
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int port(String hexAddress) {
    return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
  }
}
