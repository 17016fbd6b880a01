package dev.zkdigest.report;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.protocol.Op;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The digest in Prometheus text exposition format (version 0.0.4), by Prometheus' conventions:
 * counters end in {@code _total}, gauges do not, units are in the names (seconds, bytes), and label
 * names are stable ({@code op}, {@code code}, {@code type}, {@code command}, {@code from}, {@code
 * stage}).
 */
public final class PrometheusReport {
  /** Latency bucket bounds in microseconds, printed in seconds. */
  private static final long[] BUCKETS_US = {
    50,
    100,
    250,
    500,
    1_000,
    2_500,
    5_000,
    10_000,
    25_000,
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000
  };

  /** What a front end's counter is called here, and whether it is a gauge. */
  private record FrontEndMetric(String name, String labels, boolean gauge, String help) {}

  /** The front ends' counters by the names they report them under (JSON {@code capture}). */
  private static final Map<String, FrontEndMetric> FRONT_END = new LinkedHashMap<>();

  static {
    String captured = "Packets the front end read (capture file or interface).";
    String dropped = "Packets lost before decoding, by where they were lost.";
    front("packets", "zkdigest_capture_packets_total", "", false, captured);
    front("packets_captured", "zkdigest_capture_packets_total", "", false, captured);
    front(
        "packets_decoded", "zkdigest_capture_decoded_packets_total", "", false, "Packets decoded.");
    front("tcp_segments", "zkdigest_capture_tcp_segments_total", "", false, "TCP segments.");
    front(
        "other_packets",
        "zkdigest_capture_other_packets_total",
        "",
        false,
        "Packets that were not TCP.");
    front(
        "kernel_received",
        "zkdigest_capture_kernel_received_packets_total",
        "",
        false,
        "Packets the kernel handed to the capture.");
    front(
        "kernel_drops",
        "zkdigest_capture_dropped_packets_total",
        "stage=\"kernel\"",
        false,
        dropped);
    front(
        "interface_drops",
        "zkdigest_capture_dropped_packets_total",
        "stage=\"interface\"",
        false,
        dropped);
    front(
        "queue_drops", "zkdigest_capture_dropped_packets_total", "stage=\"queue\"", false, dropped);
    front(
        "connections_evicted",
        "zkdigest_connections_evicted_total",
        "",
        false,
        "Connections closed early to stay under --max-connections.");
    front(
        "proxy_connections_accepted",
        "zkdigest_proxy_connections_accepted_total",
        "",
        false,
        "Client connections the proxy accepted.");
    front(
        "proxy_connections_open",
        "zkdigest_proxy_connections_open",
        "",
        true,
        "Client connections open through the proxy.");
    front(
        "proxy_upstream_failures",
        "zkdigest_proxy_upstream_failures_total",
        "",
        false,
        "Upstream connections that failed.");
    front(
        "proxy_analysis_stopped",
        "zkdigest_proxy_analysis_stopped_total",
        "",
        false,
        "Connections whose analysis stopped on an internal error (forwarding went on).");
    front(
        "proxy_upstream_resets",
        "zkdigest_proxy_upstream_resets_total",
        "",
        false,
        "Upstream connections that ended in a reset or an I/O error on the server side.");
    front(
        "proxy_resets",
        "zkdigest_proxy_resets_total",
        "",
        false,
        "Connections reset by either side.");
    String handshakes =
        "TLS handshakes completed, by side (client: to the proxy; upstream: to ZooKeeper).";
    front(
        "proxy_tls_handshakes",
        "zkdigest_proxy_tls_handshakes_total",
        "side=\"client\"",
        false,
        handshakes);
    front(
        "proxy_upstream_tls_handshakes",
        "zkdigest_proxy_tls_handshakes_total",
        "side=\"upstream\"",
        false,
        handshakes);
    // Their sums: the failures by reason below add up to them.
    front("proxy_tls_handshake_failures", null, "", false, null);
    front("proxy_upstream_tls_handshake_failures", null, "", false, null);
    front(
        "proxy_tls_reloads",
        "zkdigest_proxy_tls_reloads_total",
        "",
        false,
        "Certificate reloads (SIGHUP).");
    front(
        "proxy_tls_reload_failures",
        "zkdigest_proxy_tls_reload_failures_total",
        "",
        false,
        "Certificate reloads that failed (the old files stay in use).");
    front(
        "agent_dropped_bytes",
        "zkdigest_agent_dropped_bytes_total",
        "",
        false,
        "Bytes the agent dropped because its buffer was full.");
  }

  private static void front(String key, String name, String labels, boolean gauge, String help) {
    FRONT_END.put(key, new FrontEndMetric(name, labels, gauge, help));
  }

  /** Front-end counters named by prefix and reason: one metric with a reason label. */
  private static final Map<String, String> BY_REASON =
      Map.of("proxy_tls_failed_", "client", "proxy_upstream_tls_failed_", "upstream");

  private static FrontEndMetric frontEndMetric(String key) {
    FrontEndMetric m = FRONT_END.get(key);
    if (m != null) {
      return m;
    }
    for (Map.Entry<String, String> e : BY_REASON.entrySet()) {
      if (key.startsWith(e.getKey())) {
        return new FrontEndMetric(
            "zkdigest_proxy_tls_failures_total",
            "side=\"" + e.getValue() + "\",reason=\"" + key.substring(e.getKey().length()) + "\"",
            false,
            "TLS handshakes that failed, by side and reason.");
      }
    }
    return new FrontEndMetric(
        "zkdigest_" + key.replaceAll("[^a-zA-Z0-9_]", "_") + "_total",
        "",
        false,
        "Front-end counter " + key + ".");
  }

  private PrometheusReport() {}

  public static void render(DigestSnapshot s, PrintWriter out) {
    Map<Op, GroupStats> ops = s.ops();
    header(out, "zkdigest_requests_total", "counter", "Requests by ZooKeeper operation.");
    ops.forEach((op, st) -> sample(out, "zkdigest_requests_total", op, st.requests()));
    header(out, "zkdigest_responses_total", "counter", "Replies matched to their request.");
    ops.forEach((op, st) -> sample(out, "zkdigest_responses_total", op, st.responses()));
    header(
        out,
        "zkdigest_errors_total",
        "counter",
        "Replies that failed for the client, by operation and ZooKeeper error code.");
    ops.forEach(
        (op, st) ->
            st.errorsByName()
                .forEach(
                    (code, n) ->
                        out.printf(
                            Locale.ROOT,
                            "zkdigest_errors_total{op=\"%s\",code=\"%s\"} %d%n",
                            op.zkName(),
                            code,
                            n)));
    header(out, "zkdigest_request_bytes_total", "counter", "Request bytes by operation.");
    ops.forEach((op, st) -> sample(out, "zkdigest_request_bytes_total", op, st.requestBytes()));
    header(out, "zkdigest_response_bytes_total", "counter", "Reply bytes by operation.");
    ops.forEach((op, st) -> sample(out, "zkdigest_response_bytes_total", op, st.responseBytes()));
    header(out, "zkdigest_latency_seconds", "histogram", "Request to reply time by operation.");
    ops.forEach((op, st) -> latency(out, op.zkName(), st));
    header(out, "zkdigest_events_total", "counter", "Watch events by type.");
    s.eventsByType()
        .forEach(
            (type, n) ->
                out.printf(Locale.ROOT, "zkdigest_events_total{type=\"%s\"} %d%n", type, n));
    header(
        out,
        "zkdigest_multi_sub_results_total",
        "counter",
        "Sub-operations of multi and multiRead replies, by operation and outcome.");
    s.multiSubResults()
        .forEach(
            (op, codes) ->
                codes.forEach(
                    (code, n) ->
                        out.printf(
                            Locale.ROOT,
                            "zkdigest_multi_sub_results_total{op=\"%s\",code=\"%s\"} %d%n",
                            op,
                            code,
                            n)));
    header(out, "zkdigest_four_letter_words_total", "counter", "Four-letter-word commands.");
    s.fourLetterWords()
        .forEach(
            (cmd, v) ->
                out.printf(
                    Locale.ROOT,
                    "zkdigest_four_letter_words_total{command=\"%s\"} %d%n",
                    cmd,
                    v.count()));
    String lastName = null;
    for (Counter c : Counter.values()) {
      if (c.prometheus() == null) {
        continue;
      }
      if (!c.prometheus().equals(lastName)) {
        header(out, c.prometheus(), c.isGauge() ? "gauge" : "counter", c.help());
        lastName = c.prometheus();
      }
      metric(out, c.prometheus(), c.labels(), s.counter(c));
    }
    header(out, "zkdigest_sessions", "gauge", "Distinct session ids seen in handshakes.");
    metric(out, "zkdigest_sessions", "", s.sessions());
    header(out, "zkdigest_clients", "gauge", "Distinct client addresses seen.");
    metric(out, "zkdigest_clients", "", s.clients());
    frontEnd(s.frontEnd(), out);
    out.flush();
  }

  private static void frontEnd(Map<String, Long> stats, PrintWriter out) {
    Map<String, List<String>> samples = new LinkedHashMap<>();
    Map<String, FrontEndMetric> meta = new LinkedHashMap<>();
    stats.forEach(
        (key, value) -> {
          FrontEndMetric m = frontEndMetric(key);
          if (m.name() == null) {
            return;
          }
          meta.putIfAbsent(m.name(), m);
          samples
              .computeIfAbsent(m.name(), k -> new java.util.ArrayList<>())
              .add(sampleLine(m.name(), m.labels(), value));
        });
    samples.forEach(
        (name, lines) -> {
          FrontEndMetric m = meta.get(name);
          header(out, name, m.gauge() ? "gauge" : "counter", m.help());
          lines.forEach(out::println);
        });
  }

  private static void latency(PrintWriter out, String op, GroupStats st) {
    Latency h = st.latency();
    for (long le : BUCKETS_US) {
      out.printf(
          Locale.ROOT,
          "zkdigest_latency_seconds_bucket{op=\"%s\",le=\"%s\"} %d%n",
          op,
          seconds(le),
          h.countAtOrBelow(le));
    }
    out.printf(
        Locale.ROOT, "zkdigest_latency_seconds_bucket{op=\"%s\",le=\"+Inf\"} %d%n", op, h.count());
    out.printf(
        Locale.ROOT,
        "zkdigest_latency_seconds_sum{op=\"%s\"} %s%n",
        op,
        seconds(st.latencySumUs()));
    out.printf(Locale.ROOT, "zkdigest_latency_seconds_count{op=\"%s\"} %d%n", op, h.count());
  }

  private static String seconds(long us) {
    return String.format(Locale.ROOT, "%.6f", us / 1e6)
        .replaceAll("0+$", "")
        .replaceAll("\\.$", "");
  }

  private static void header(PrintWriter out, String name, String type, String help) {
    if (help != null) {
      out.printf(Locale.ROOT, "# HELP %s %s%n", name, help);
    }
    out.printf(Locale.ROOT, "# TYPE %s %s%n", name, type);
  }

  private static void sample(PrintWriter out, String name, Op op, long v) {
    out.printf(Locale.ROOT, "%s{op=\"%s\"} %d%n", name, op.zkName(), v);
  }

  private static void metric(PrintWriter out, String name, String labels, long v) {
    out.println(sampleLine(name, labels, v));
  }

  private static String sampleLine(String name, String labels, long v) {
    return labels.isEmpty() ? name + " " + v : name + "{" + labels + "} " + v;
  }
}
