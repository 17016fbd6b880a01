package dev.zkdigest.protocol;

/**
 * Who is on either end of one client connection, and when we first saw it.
 *
 * @param id unique within one run, in order of first sighting
 * @param openedNanos epoch nanoseconds of the first byte or SYN seen
 * @param fromStart whether we saw the connection from its first byte (else we joined mid-stream)
 * @param tls the TLS session a front end terminated or saw in clear, or null for plain TCP
 */
public record ConnectionMeta(
    long id,
    String clientIp,
    int clientPort,
    String serverIp,
    int serverPort,
    long openedNanos,
    boolean fromStart,
    TlsInfo tls) {

  /** A plain TCP connection. */
  public ConnectionMeta(
      long id,
      String clientIp,
      int clientPort,
      String serverIp,
      int serverPort,
      long openedNanos,
      boolean fromStart) {
    this(id, clientIp, clientPort, serverIp, serverPort, openedNanos, fromStart, null);
  }

  public String client() {
    return hostPort(clientIp, clientPort);
  }

  public String server() {
    return hostPort(serverIp, serverPort);
  }

  public static String hostPort(String ip, int port) {
    return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
  }
}
