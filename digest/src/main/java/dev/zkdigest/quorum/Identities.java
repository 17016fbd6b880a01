package dev.zkdigest.quorum;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which server id is behind which address, as far as the traffic (election initial messages, the
 * configuration in notifications, learners' FOLLOWERINFO) or {@code --ensemble} told: by endpoint
 * ({@code ip:port}, exact) and by IP alone (usable only when one id was seen on it).
 *
 * @param endpoints {@code ip:port} (IPv6 in brackets) to server id
 * @param ips IP to the ids seen on it
 */
public record Identities(Map<String, Long> endpoints, Map<String, Set<Long>> ips) {
  /** Entries kept of each kind: an ensemble has a few servers, so this bounds only garbage. */
  static final int MAX_ENTRIES = 4096;

  public static final Identities EMPTY = new Identities(Map.of(), Map.of());

  public Identities {
    endpoints = copy(endpoints);
    TreeMap<String, Set<Long>> m = new TreeMap<>();
    ips.forEach((k, v) -> m.put(k, Set.copyOf(new TreeSet<>(v))));
    ips = java.util.Collections.unmodifiableMap(m);
  }

  private static Map<String, Long> copy(Map<String, Long> m) {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }

  /**
   * The id of the server at {@code endpoint} ({@code ip:port}, or an IP alone), or -1 when the
   * traffic did not say.
   */
  public long resolve(String endpoint) {
    if (endpoint == null) {
      return -1;
    }
    Long sid = endpoints.get(endpoint);
    if (sid != null) {
      return sid;
    }
    Set<Long> on = ips.get(ipOf(endpoint));
    return on != null && on.size() == 1 ? on.iterator().next() : -1;
  }

  /** The IP part of {@code ip:port}, {@code [v6]:port} or a bare IP. */
  static String ipOf(String endpoint) {
    if (endpoint.startsWith("[")) {
      int close = endpoint.indexOf(']');
      return close > 0 ? endpoint.substring(1, close) : endpoint;
    }
    int colon = endpoint.indexOf(':');
    return colon >= 0 && endpoint.indexOf(':', colon + 1) < 0
        ? endpoint.substring(0, colon)
        : endpoint;
  }

  /** Both sets of facts; where they disagree on an endpoint, the smaller id (deterministic). */
  public Identities merge(Identities other) {
    TreeMap<String, Long> e = new TreeMap<>(endpoints);
    other.endpoints.forEach((k, v) -> e.merge(k, v, Math::min));
    TreeMap<String, Set<Long>> i = new TreeMap<>();
    ips.forEach((k, v) -> i.put(k, new TreeSet<>(v)));
    other.ips.forEach((k, v) -> i.computeIfAbsent(k, x -> new TreeSet<>()).addAll(v));
    return new Identities(firstN(e), firstN(i));
  }

  private static <V> Map<String, V> firstN(TreeMap<String, V> m) {
    while (m.size() > MAX_ENTRIES) {
      m.pollLastEntry();
    }
    return m;
  }

  /** Every server id named, in order. */
  public Set<Long> sids() {
    TreeSet<Long> s = new TreeSet<>(endpoints.values());
    ips.values().forEach(s::addAll);
    return s;
  }
}
