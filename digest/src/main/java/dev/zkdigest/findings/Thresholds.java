package dev.zkdigest.findings;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * When a pattern becomes a finding: every detector's thresholds, each with a documented default and
 * a name for {@code --threshold NAME=VALUE}.
 *
 * @param herdSessions sessions that re-read a path within a second of one watch event on it
 * @param pollReads reads of one path by one session, without a watch, that make a poll series
 * @param pollSpanMs shortest time a poll series must span (a burst of reads is not polling)
 * @param pollVariation largest spread of the gaps between polls (standard deviation over mean)
 * @param hotShare share of all reads, writes or reply bytes that makes one znode hot
 * @param hotRequests requests (or, for bytes, KiB) a hot znode must at least see
 * @param contention BADVERSION errors on one path that make write contention
 * @param largeBytes a request or reply at least this big is large
 * @param juteMaxBuffer the server's {@code jute.maxbuffer}, to show sizes as a share of it
 * @param largeChildren a getChildren reply with at least this many children is large
 * @param churnConnections short-lived connections of one client that make churn
 * @param churnPerSecond connects per second that make churn a reconnect storm (critical)
 * @param shortLivedMs a connection that lived at most this long is short-lived
 * @param shortLivedShare share of a client's closed connections that may be short-lived
 * @param idleMs a connection that only pinged for at least this long is idle
 * @param idleConnections idle connections from one client that make a finding
 * @param sessionErrors SESSIONEXPIRED and SESSIONMOVED errors of one client that make one
 * @param errorRate share of a class's replies that fail to make an error storm
 * @param errorCount errors a class must at least have
 * @param slowFactor a bucket's p99 at least this many times the run's median p99 is slow
 * @param slowFloorUs and at least this many microseconds
 * @param slowRequests requests a bucket must have to be judged
 */
public record Thresholds(
    int herdSessions,
    int pollReads,
    long pollSpanMs,
    double pollVariation,
    double hotShare,
    long hotRequests,
    long contention,
    long largeBytes,
    long juteMaxBuffer,
    long largeChildren,
    long churnConnections,
    double churnPerSecond,
    long shortLivedMs,
    double shortLivedShare,
    long idleMs,
    long idleConnections,
    long sessionErrors,
    double errorRate,
    long errorCount,
    double slowFactor,
    long slowFloorUs,
    long slowRequests) {

  public static final Thresholds DEFAULTS =
      new Thresholds(
          10,
          5,
          1_000,
          0.5,
          0.5,
          1_000,
          10,
          256 * 1024,
          0xfffff,
          10_000,
          20,
          2.0,
          10_000,
          0.5,
          60_000,
          10,
          5,
          0.5,
          20,
          5.0,
          10_000,
          10);

  /** The names {@code --threshold} takes, with their values: e.g. {@code herd.sessions}. */
  public Map<String, Number> byName() {
    Map<String, Number> m = new LinkedHashMap<>();
    m.put("herd.sessions", herdSessions);
    m.put("polling.reads", pollReads);
    m.put("polling.span_ms", pollSpanMs);
    m.put("polling.variation", pollVariation);
    m.put("hot.share", hotShare);
    m.put("hot.requests", hotRequests);
    m.put("hot.contention", contention);
    m.put("large.bytes", largeBytes);
    m.put("large.jute_maxbuffer", juteMaxBuffer);
    m.put("large.children", largeChildren);
    m.put("churn.connections", churnConnections);
    m.put("churn.per_second", churnPerSecond);
    m.put("churn.short_ms", shortLivedMs);
    m.put("churn.short_share", shortLivedShare);
    m.put("churn.idle_ms", idleMs);
    m.put("churn.idle_connections", idleConnections);
    m.put("churn.session_errors", sessionErrors);
    m.put("errors.rate", errorRate);
    m.put("errors.count", errorCount);
    m.put("slow.factor", slowFactor);
    m.put("slow.floor_us", slowFloorUs);
    m.put("slow.requests", slowRequests);
    return m;
  }

  /**
   * These thresholds with {@code name} set to {@code value}.
   *
   * @throws IllegalArgumentException naming the unknown threshold or the bad value
   */
  public Thresholds with(String name, String value) {
    Map<String, Number> m = byName();
    String key = name.trim().toLowerCase(Locale.ROOT);
    if (!m.containsKey(key)) {
      throw new IllegalArgumentException(
          "unknown threshold '" + name + "' (known: " + String.join(", ", m.keySet()) + ")");
    }
    double v;
    try {
      v = Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "threshold " + key + " needs a number, got '" + value + "'");
    }
    if (v < 0 || Double.isNaN(v) || Double.isInfinite(v)) {
      throw new IllegalArgumentException("threshold " + key + " must be a positive number");
    }
    m.put(key, m.get(key) instanceof Double ? (Number) v : (Number) Math.round(v));
    return new Thresholds(
        m.get("herd.sessions").intValue(),
        m.get("polling.reads").intValue(),
        m.get("polling.span_ms").longValue(),
        m.get("polling.variation").doubleValue(),
        m.get("hot.share").doubleValue(),
        m.get("hot.requests").longValue(),
        m.get("hot.contention").longValue(),
        m.get("large.bytes").longValue(),
        m.get("large.jute_maxbuffer").longValue(),
        m.get("large.children").longValue(),
        m.get("churn.connections").longValue(),
        m.get("churn.per_second").doubleValue(),
        m.get("churn.short_ms").longValue(),
        m.get("churn.short_share").doubleValue(),
        m.get("churn.idle_ms").longValue(),
        m.get("churn.idle_connections").longValue(),
        m.get("churn.session_errors").longValue(),
        m.get("errors.rate").doubleValue(),
        m.get("errors.count").longValue(),
        m.get("slow.factor").doubleValue(),
        m.get("slow.floor_us").longValue(),
        m.get("slow.requests").longValue());
  }
}
