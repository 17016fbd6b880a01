package dev.zkdigest.proxy;

import dev.zkdigest.protocol.TlsInfo;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * What every connection accepted on one route shares: where it goes, its TLS contexts (null for
 * plain TCP on both sides), the counters, and how a connection's analysis is opened.
 */
final class Listener {
  /** Opens the analysis of one connection once it is known whom it is with. */
  interface Taps {
    Tap open(InetSocketAddress client, InetSocketAddress upstream, long openedNanos, TlsInfo tls);
  }

  final InetSocketAddress upstream;
  final String upstreamKey;
  final TlsContexts tls;
  final int connectTimeoutMillis;
  final Class<? extends SocketChannel> channelType;
  final ProxyStats stats;
  final Taps taps;

  Listener(
      InetSocketAddress upstream,
      TlsContexts tls,
      int connectTimeoutMillis,
      Class<? extends SocketChannel> channelType,
      ProxyStats stats,
      Taps taps) {
    this.upstream = upstream;
    this.upstreamKey = upstream.getHostString() + ":" + upstream.getPort();
    this.tls = tls;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.channelType = channelType;
    this.stats = stats;
    this.taps = taps;
  }

  boolean tlsToClients() {
    return tls != null && tls.listener();
  }

  boolean tlsToUpstream() {
    return tls != null && tls.upstream();
  }
}
