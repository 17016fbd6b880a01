package dev.zkdigest.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** What the proxy itself did, apart from the traffic it digests. Thread-safe. */
public final class ProxyStats {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong open = new AtomicLong();
  final AtomicLong upstreamFailures = new AtomicLong();
  final AtomicLong analysisStopped = new AtomicLong();
  final AtomicLong resets = new AtomicLong();
  final AtomicLong upstreamResets = new AtomicLong();
  private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> openByUpstream =
      new java.util.concurrent.ConcurrentHashMap<>();

  void upstreamOpened(String upstream) {
    openByUpstream.computeIfAbsent(upstream, k -> new AtomicLong()).incrementAndGet();
  }

  void upstreamClosed(String upstream) {
    openByUpstream.computeIfAbsent(upstream, k -> new AtomicLong()).decrementAndGet();
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

  /** The counters by the names the reports use. */
  public Map<String, Long> asMap() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("proxy_connections_accepted", accepted.get());
    m.put("proxy_connections_open", open.get());
    m.put("proxy_upstream_failures", upstreamFailures.get());
    m.put("proxy_analysis_stopped", analysisStopped.get());
    m.put("proxy_resets", resets.get());
    m.put("proxy_upstream_resets", upstreamResets.get());
    return m;
  }
}
