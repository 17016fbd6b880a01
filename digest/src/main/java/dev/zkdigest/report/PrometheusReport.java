package dev.zkdigest.report;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Stats;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;

/** The digest in Prometheus text exposition format (version 0.0.4). */
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

  private PrometheusReport() {}

  public static void render(Digest digest, Map<String, Long> extraGauges, PrintWriter out) {
    synchronized (digest) {
      renderLocked(digest.snapshot(), out);
    }
    for (Map.Entry<String, Long> e : extraGauges.entrySet()) {
      String name = "zkdigest_" + e.getKey();
      out.printf(Locale.ROOT, "# TYPE %s gauge%n%s %d%n", name, name, e.getValue());
    }
    out.flush();
  }

  private static void renderLocked(Digest.Snapshot s, PrintWriter out) {
    header(out, "zkdigest_requests_total", "counter", "Requests by ZooKeeper operation.");
    s.ops().forEach((op, st) -> sample(out, "zkdigest_requests_total", op, st.requests()));
    header(out, "zkdigest_responses_total", "counter", "Replies matched to their request.");
    s.ops().forEach((op, st) -> sample(out, "zkdigest_responses_total", op, st.responses()));
    header(
        out, "zkdigest_errors_total", "counter", "Replies with an error, by operation and code.");
    for (Map.Entry<Op, Stats> e : s.ops().entrySet()) {
      for (Map.Entry<Integer, Long> err : e.getValue().errorsByCode().entrySet()) {
        out.printf(
            Locale.ROOT,
            "zkdigest_errors_total{op=\"%s\",code=\"%s\"} %d%n",
            e.getKey().zkName(),
            KeeperErrors.name(err.getKey()),
            err.getValue());
      }
    }
    header(out, "zkdigest_request_bytes_total", "counter", "Request bytes by operation.");
    s.ops().forEach((op, st) -> sample(out, "zkdigest_request_bytes_total", op, st.requestBytes()));
    header(out, "zkdigest_response_bytes_total", "counter", "Reply bytes by operation.");
    s.ops()
        .forEach((op, st) -> sample(out, "zkdigest_response_bytes_total", op, st.responseBytes()));
    header(out, "zkdigest_latency_seconds", "histogram", "Request to reply time by operation.");
    for (Map.Entry<Op, Stats> e : s.ops().entrySet()) {
      AbstractHistogram h = e.getValue().latencyUs();
      String op = e.getKey().zkName();
      for (long le : BUCKETS_US) {
        long n = h.getTotalCount() == 0 ? 0 : h.getCountBetweenValues(0, le);
        out.printf(
            Locale.ROOT,
            "zkdigest_latency_seconds_bucket{op=\"%s\",le=\"%s\"} %d%n",
            op,
            seconds(le),
            n);
      }
      out.printf(
          Locale.ROOT,
          "zkdigest_latency_seconds_bucket{op=\"%s\",le=\"+Inf\"} %d%n",
          op,
          h.getTotalCount());
      out.printf(
          Locale.ROOT,
          "zkdigest_latency_seconds_sum{op=\"%s\"} %s%n",
          op,
          seconds(e.getValue().latencySumUs()));
      out.printf(
          Locale.ROOT, "zkdigest_latency_seconds_count{op=\"%s\"} %d%n", op, h.getTotalCount());
    }
    header(out, "zkdigest_events_total", "counter", "Watch events by type.");
    s.eventsByType()
        .forEach(
            (type, n) ->
                out.printf(Locale.ROOT, "zkdigest_events_total{type=\"%s\"} %d%n", type, n));
    header(out, "zkdigest_bytes_total", "counter", "Bytes seen by direction.");
    out.printf(Locale.ROOT, "zkdigest_bytes_total{from=\"client\"} %d%n", s.bytesFromClients());
    out.printf(Locale.ROOT, "zkdigest_bytes_total{from=\"server\"} %d%n", s.bytesFromServers());
    counter(out, "zkdigest_connections_total", "Client connections seen.", s.connections());
    gauge(out, "zkdigest_open_connections", "Client connections open now.", s.openConnections());
    gauge(out, "zkdigest_sessions", "Distinct session ids seen in handshakes.", s.sessions());
    counter(
        out, "zkdigest_decode_errors_total", "Frames that could not be decoded.", s.decodeErrors());
    counter(
        out, "zkdigest_unmatched_responses_total", "Replies without their request.", s.unmatched());
    counter(out, "zkdigest_pending_requests_total", "Requests never answered.", s.pending());
    counter(
        out, "zkdigest_skipped_bytes_total", "Bytes skipped (lost or resync).", s.skippedBytes());
    counter(
        out, "zkdigest_four_letter_words_total", "Four-letter-word commands.", s.fourLetterWords());
  }

  private static String seconds(long us) {
    return String.format(Locale.ROOT, "%.6f", us / 1e6)
        .replaceAll("0+$", "")
        .replaceAll("\\.$", "");
  }

  private static void header(PrintWriter out, String name, String type, String help) {
    out.printf(Locale.ROOT, "# HELP %s %s%n# TYPE %s %s%n", name, help, name, type);
  }

  private static void sample(PrintWriter out, String name, Op op, long v) {
    out.printf(Locale.ROOT, "%s{op=\"%s\"} %d%n", name, op.zkName(), v);
  }

  private static void counter(PrintWriter out, String name, String help, long v) {
    header(out, name, "counter", help);
    out.printf(Locale.ROOT, "%s %d%n", name, v);
  }

  private static void gauge(PrintWriter out, String name, String help, long v) {
    header(out, name, "gauge", help);
    out.printf(Locale.ROOT, "%s %d%n", name, v);
  }
}
