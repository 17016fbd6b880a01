package dev.zkdigest.digest;

/**
 * The digest's summary counters: each is recorded in one place ({@link Digest}), summed by merges,
 * and written by every renderer from this list, so adding one means adding it here and recording
 * it. The JSON name is part of format 1 (never renamed); the Prometheus name follows Prometheus'
 * conventions (counters end in {@code _total}); null where the metric is broken down elsewhere (by
 * op, by event type).
 */
public enum Counter {
  CONNECTIONS("connections", "zkdigest_connections_total", "", "Client connections seen."),
  OPEN_CONNECTIONS(
      "open_connections", "zkdigest_open_connections", "", "Client connections open now."),
  REQUESTS("requests", null, "", "Requests."),
  RESPONSES("responses", null, "", "Replies matched to their request."),
  ERRORS("errors", null, "", "Replies that failed for the client."),
  EVENTS("events", null, "", "Watch events."),
  BYTES_FROM_CLIENTS(
      "bytes_from_clients", "zkdigest_bytes_total", "from=\"client\"", "Bytes seen, by sender."),
  BYTES_FROM_SERVERS("bytes_from_servers", "zkdigest_bytes_total", "from=\"server\"", null),
  UNMATCHED(
      "unmatched_responses",
      "zkdigest_unmatched_responses_total",
      "",
      "Replies whose request was not seen."),
  UNANSWERED(
      "pending_requests",
      "zkdigest_unanswered_requests_total",
      "",
      "Requests whose connection or input ended before their reply."),
  DECODE_ERRORS(
      "decode_errors", "zkdigest_decode_errors_total", "", "Frames that could not be decoded."),
  SKIPPED_BYTES(
      "skipped_bytes",
      "zkdigest_skipped_bytes_total",
      "",
      "Bytes not decoded: lost by the capture, or passed over to regain sync."),
  FOUR_LETTER_WORDS("four_letter_words", null, "", "Four-letter-word commands."),
  IGNORED_FLOWS(
      "ignored_flows",
      "zkdigest_ignored_flows_total",
      "",
      "TCP flows not analysed: not to a known ZooKeeper server."),
  IGNORED_BYTES(
      "ignored_bytes", "zkdigest_ignored_bytes_total", "", "Bytes of the flows not analysed.");

  private final String json;
  private final String prometheus;
  private final String labels;
  private final String help;

  Counter(String json, String prometheus, String labels, String help) {
    this.json = json;
    this.prometheus = prometheus;
    this.labels = labels;
    this.help = help;
  }

  /** The key under {@code summary} in JSON reports. */
  public String json() {
    return json;
  }

  /** The Prometheus metric name, or null if it is exposed broken down by something else. */
  public String prometheus() {
    return prometheus;
  }

  /** Labels inside the braces, or empty. */
  public String labels() {
    return labels;
  }

  /** The HELP text, or null when an earlier counter of the same metric gave it. */
  public String help() {
    return help;
  }

  /** Open connections go up and down: a gauge; the rest only grow. */
  public boolean isGauge() {
    return this == OPEN_CONNECTIONS;
  }
}
