package dev.zkdigest.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** What the proxy itself did, apart from the traffic it digests. Thread-safe. */
public final class ProxyStats {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong open = new AtomicLong();
  final AtomicLong upstreamFailures = new AtomicLong();
  final AtomicLong analysisStopped = new AtomicLong();
  final AtomicLong resets = new AtomicLong();
  final AtomicLong upstreamResets = new AtomicLong();
  private final ConcurrentHashMap<String, AtomicLong> openByUpstream = new ConcurrentHashMap<>();

  /** Whether any route uses TLS: the TLS counters are shown only then. */
  private volatile boolean tls;

  final AtomicLong tlsHandshakes = new AtomicLong();
  final AtomicLong upstreamTlsHandshakes = new AtomicLong();
  final AtomicLong tlsReloads = new AtomicLong();
  final AtomicLong tlsReloadFailures = new AtomicLong();
  private final AtomicLongArray tlsFailed = new AtomicLongArray(TlsFailure.values().length);
  private final AtomicLongArray upstreamTlsFailed = new AtomicLongArray(TlsFailure.values().length);

  void upstreamOpened(String upstream) {
    openByUpstream.computeIfAbsent(upstream, k -> new AtomicLong()).incrementAndGet();
  }

  void upstreamClosed(String upstream) {
    openByUpstream.computeIfAbsent(upstream, k -> new AtomicLong()).decrementAndGet();
  }

  void usesTls() {
    tls = true;
  }

  /** A client's TLS handshake failed. */
  void tlsFailed(TlsFailure why) {
    tlsFailed.incrementAndGet(why.ordinal());
  }

  /** The TLS handshake with an upstream failed (also counted as an upstream failure). */
  void upstreamTlsFailed(TlsFailure why) {
    upstreamFailures.incrementAndGet();
    upstreamTlsFailed.incrementAndGet(why.ordinal());
  }

  /** Connections open now, by upstream {@code host:port}: which server each route carries. */
  public Map<String, Long> openByUpstream() {
    Map<String, Long> m = new java.util.TreeMap<>();
    openByUpstream.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }

  public long accepted() {
    return accepted.get();
  }

  public long open() {
    return open.get();
  }

  public long upstreamFailures() {
    return upstreamFailures.get();
  }

  public long analysisStopped() {
    return analysisStopped.get();
  }

  /** Client connections that ended in a reset or an I/O error on the client side. */
  public long resets() {
    return resets.get();
  }

  /** Upstream connections that ended in a reset or an I/O error on the server side. */
  public long upstreamResets() {
    return upstreamResets.get();
  }

  /**
   * The counters by the names the reports use. With TLS: handshakes completed and failed on each
   * side, the failures by reason ({@code proxy_tls_failed_untrusted_certificate}, ...; only reasons
   * seen), and certificate reloads.
   */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("proxy_connections_accepted", accepted.get());
    m.put("proxy_connections_open", open.get());
    m.put("proxy_upstream_failures", upstreamFailures.get());
    m.put("proxy_analysis_stopped", analysisStopped.get());
    m.put("proxy_resets", resets.get());
    m.put("proxy_upstream_resets", upstreamResets.get());
    if (tls) {
      m.put("proxy_tls_handshakes", tlsHandshakes.get());
      m.put("proxy_tls_handshake_failures", sum(tlsFailed));
      byReason(m, "proxy_tls_failed_", tlsFailed);
      m.put("proxy_upstream_tls_handshakes", upstreamTlsHandshakes.get());
      m.put("proxy_upstream_tls_handshake_failures", sum(upstreamTlsFailed));
      byReason(m, "proxy_upstream_tls_failed_", upstreamTlsFailed);
      m.put("proxy_tls_reloads", tlsReloads.get());
      m.put("proxy_tls_reload_failures", tlsReloadFailures.get());
    }
    return m;
  }

  private static long sum(AtomicLongArray a) {
    long n = 0;
    for (int i = 0; i < a.length(); i++) {
      n += a.get(i);
    }
    return n;
  }

  private static void byReason(Map<String, Long> m, String prefix, AtomicLongArray a) {
    for (TlsFailure f : TlsFailure.values()) {
      long n = a.get(f.ordinal());
      if (n > 0) {
        m.put(prefix + f.label, n);
      }
    }
  }
}
