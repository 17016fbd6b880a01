package dev.zkdigest.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The TLS contexts of one route, built from its files, and rebuilt from them on reload. A reload
 * swaps in new contexts for connections accepted from then on; open connections keep the engine
 * they were made with, so none is dropped. A reload that fails keeps the contexts in use.
 *
 * <p>Threading: contexts are swapped by the reloading thread and read by event loops; the one
 * volatile field makes each connection see either the old pair or the new one whole.
 */
final class TlsContexts {
  /** What ZooKeeper 3.9 enables by default ({@code ssl.enabledProtocols}). */
  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  /** The default TLS handshake timeout of Netty, stated: a client silent for this long is cut. */
  static final long HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private record Pair(SslContext listener, SslContext upstream) {}

  private final Route route;
  private final SslProvider provider;
  private volatile Pair current;

  private TlsContexts(Route route, SslProvider provider, Pair first) {
    this.route = route;
    this.provider = provider;
    this.current = first;
  }

  /** Loads a route's files, or returns null for a route without TLS. */
  static TlsContexts load(Route route, SslProvider provider, List<String> warnings)
      throws IOException {
    if (route.listenerTls() == null && route.upstreamTls() == null) {
      return null;
    }
    return new TlsContexts(route, provider, build(route, provider, warnings));
  }

  /** Reads every file again and swaps the contexts, or throws and keeps the old ones. */
  void reload(List<String> warnings) throws IOException {
    current = build(route, provider, warnings);
  }

  boolean listener() {
    return route.listenerTls() != null;
  }

  boolean upstream() {
    return route.upstreamTls() != null;
  }

  SslHandler newListenerHandler(ByteBufAllocator alloc) {
    SslHandler h = current.listener().newHandler(alloc);
    h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    return h;
  }

  /** The host and port name the server for hostname verification (and SNI, for a name). */
  SslHandler newUpstreamHandler(ByteBufAllocator alloc, InetSocketAddress upstream) {
    SslHandler h =
        current.upstream().newHandler(alloc, upstream.getHostString(), upstream.getPort());
    h.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MILLIS);
    return h;
  }

  private static Pair build(Route route, SslProvider provider, List<String> warnings)
      throws IOException {
    SslContext listener = null;
    SslContext upstream = null;
    ListenerTls l = route.listenerTls();
    if (l != null) {
      KeyMaterial km =
          KeyMaterial.load("--tls-cert", l.cert(), l.key(), l.passwordFile(), warnings);
      SslContextBuilder b =
          SslContextBuilder.forServer(km.key(), km.chain())
              .sslProvider(provider)
              .protocols(PROTOCOLS);
      if (l.clientCa() != null) {
        X509Certificate[] cas = KeyMaterial.authorities("--tls-client-ca", l.clientCa());
        trust(b, provider, cas).clientAuth(ClientAuth.REQUIRE);
      }
      listener = build(b, "--tls-cert " + l.cert());
    }
    UpstreamTls u = route.upstreamTls();
    if (u != null) {
      SslContextBuilder b =
          SslContextBuilder.forClient()
              .sslProvider(provider)
              .protocols(PROTOCOLS)
              .endpointIdentificationAlgorithm(u.insecure() ? null : "HTTPS");
      if (u.ca() != null) {
        trust(b, provider, KeyMaterial.authorities("--upstream-ca", u.ca()));
      }
      if (u.cert() != null) {
        KeyMaterial km =
            KeyMaterial.load("--upstream-cert", u.cert(), u.key(), u.passwordFile(), warnings);
        b.keyManager(km.key(), km.chain());
      }
      upstream = build(b, "--upstream-cert " + u.cert());
    }
    return new Pair(listener, upstream);
  }

  private static SslContextBuilder trust(
      SslContextBuilder b, SslProvider provider, X509Certificate[] cas) throws IOException {
    if (provider == SslProvider.JDK) {
      return b.trustManager(cas);
    }
    try {
      return b.trustManager(UnknownCaAlerts.trusting(cas));
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot set up the trusted CAs: " + e.getMessage());
    }
  }

  private static SslContext build(SslContextBuilder b, String what) throws IOException {
    try {
      return b.build();
    } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
      throw new IOException("cannot set up TLS with " + what + ": " + e.getMessage());
    }
  }
}
