package dev.zkdigest.report;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.findings.Findings;
import dev.zkdigest.protocol.KeeperErrors;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The report for people, laid out like pt-query-digest: an overall header, a profile of groups
 * ranked by total response time, then a detail block per top group with a latency histogram.
 */
public final class TextReport {
  private static final long[] BUCKETS_US = {10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};
  private static final String[] BUCKET_LABELS = {
    "  1us", " 10us", "100us", "  1ms", " 10ms", "100ms", "   1s", " 10s+"
  };
  private static final int BAR = 60;

  private TextReport() {}

  public static void render(DigestSnapshot s, ReportOptions opts, PrintWriter out) {
    header(s, opts, out);
    FindingsText.render(Findings.detect(s, opts.thresholds()), out);
    TimelineChart.render(s, out);
    List<GroupBy.Row> rows = new ArrayList<>(opts.groupBy().rows(s));
    rows.sort(opts.order().rank());
    profile(rows, s, opts, out);
    for (int i = 0; i < Math.min(opts.top(), rows.size()); i++) {
      detail(i + 1, rows.get(i), opts, s, out);
    }
    extras(s, out);
    out.flush();
  }

  private static void header(DigestSnapshot s, ReportOptions opts, PrintWriter out) {
    double seconds = Math.max(0, s.lastNanos() - s.firstNanos()) / 1e9;
    out.printf(
        Locale.ROOT,
        "# zkdigest %s: %s of %s%n",
        ReportOptions.VERSION,
        opts.mode(),
        String.join(", ", opts.inputs()));
    if (s.firstNanos() != 0) {
      out.printf(
          Locale.ROOT,
          "# Time range: %s to %s (%s)%n",
          Units.instant(s.firstNanos()),
          Units.instant(s.lastNanos()),
          Units.micros(seconds * 1e6));
    } else {
      out.println("# Time range: no traffic seen");
    }
    double rate = seconds > 0 ? s.requests() / seconds : 0;
    out.printf(
        Locale.ROOT,
        "# Overall: %s (%s/s), %s, %s, %s%n",
        plural(s.requests(), "request"),
        Units.count(rate),
        plural(s.responses(), "response"),
        plural(s.errors(), "error"),
        plural(s.events(), "event"));
    out.printf(
        Locale.ROOT,
        "#          %s, %s, %s, %s%n",
        plural(s.connections(), "connection"),
        (s.sessionIds().overflowed() ? "~" : "") + plural(s.sessions(), "session"),
        (s.clientsOverflowed() ? "~" : "") + plural(s.clients(), "client"),
        plural(s.counter(Counter.FOUR_LETTER_WORDS), "four-letter word"));
    out.printf(
        Locale.ROOT,
        "# Traffic: %s bytes from clients, %s bytes from servers%n",
        Units.bytes(s.counter(Counter.BYTES_FROM_CLIENTS)),
        Units.bytes(s.counter(Counter.BYTES_FROM_SERVERS)));
    out.printf(
        Locale.ROOT,
        "# Not matched: unmatched replies %d, requests pending at the end %d;"
            + " decode errors %d; bytes skipped %s%n",
        s.counter(Counter.UNMATCHED),
        s.counter(Counter.UNANSWERED),
        s.counter(Counter.DECODE_ERRORS),
        Units.bytes(s.counter(Counter.SKIPPED_BYTES)));
    if (s.counter(Counter.IGNORED_FLOWS) > 0 || s.counter(Counter.IGNORED_BYTES) > 0) {
      out.printf(
          Locale.ROOT,
          "# Ignored: %s, %s bytes not to a known ZooKeeper server: %s%n",
          plural(s.counter(Counter.IGNORED_FLOWS), "flow"),
          Units.bytes(s.counter(Counter.IGNORED_BYTES)),
          ignoredServers(s));
    }
    if (!s.frontEnd().isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      s.frontEnd().forEach((k, v) -> j.add(k + " " + v));
      out.println("# Front end: " + j);
    }
    out.println("#");
    GroupStats all = s.overall();
    out.println("# Attribute          total      min      max      avg      95%   median");
    out.println("# ============== ======== ======== ======== ======== ======== ========");
    Latency lat = all.latency();
    if (lat.count() > 0) {
      out.printf(
          Locale.ROOT,
          "# %-14s %8s %8s %8s %8s %8s %8s%n",
          "Response time",
          Units.micros(all.latencySumUs()),
          Units.micros(lat.min()),
          Units.micros(lat.max()),
          Units.micros(lat.mean()),
          Units.micros(lat.percentile(95)),
          Units.micros(lat.percentile(50)));
    }
    sizeLine("Request size", s.counter(Counter.BYTES_FROM_CLIENTS), s.requestSizes(), out);
    sizeLine("Response size", s.counter(Counter.BYTES_FROM_SERVERS), s.responseSizes(), out);
    out.println();
  }

  private static void sizeLine(String name, long total, Latency h, PrintWriter out) {
    if (h.count() == 0) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "# %-14s %8s %8s %8s %8s %8s %8s%n",
        name,
        Units.bytes(total),
        Units.bytes(h.min()),
        Units.bytes(h.max()),
        Units.bytes(h.mean()),
        Units.bytes(h.percentile(95)),
        Units.bytes(h.percentile(50)));
  }

  /** The servers of the ignored flows, most bytes first, at most five. */
  private static String ignoredServers(DigestSnapshot s) {
    List<Map.Entry<String, DigestSnapshot.Ignored>> l = new ArrayList<>(s.ignored().entrySet());
    l.sort(
        Comparator.comparingLong(
                (Map.Entry<String, DigestSnapshot.Ignored> e) -> e.getValue().bytes())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    StringJoiner j = new StringJoiner(", ");
    for (int i = 0; i < Math.min(5, l.size()); i++) {
      DigestSnapshot.Ignored v = l.get(i).getValue();
      j.add(
          l.get(i).getKey()
              + " ("
              + plural(v.flows(), "flow")
              + ", "
              + Units.bytes(v.bytes())
              + ")");
    }
    if (l.size() > 5) {
      j.add("and " + (l.size() - 5) + " more");
    }
    return j.toString();
  }

  private static void profile(
      List<GroupBy.Row> rows, DigestSnapshot s, ReportOptions opts, PrintWriter out) {
    long totalUs = 0;
    for (GroupBy.Row r : rows) {
      totalUs += r.stats().latencySumUs();
    }
    out.println("# Profile");
    out.printf(
        Locale.ROOT,
        "# Rank Response time     Calls   R/Call      p99  Errors  %s%n",
        opts.groupBy().heading());
    out.println("# ==== ================ ======== ======== ======== ======= ====================");
    int shown = opts.limit() > 0 ? opts.limit() : Math.max(opts.top(), 20);
    for (int i = 0; i < rows.size() && i < shown; i++) {
      GroupBy.Row r = rows.get(i);
      profileLine(String.format(Locale.ROOT, "%4d", i + 1), r.label(), r.stats(), totalUs, out);
    }
    if (rows.size() > shown) {
      GroupStats misc = mergeOf(rows.subList(shown, rows.size()));
      profileLine("MISC", "<" + (rows.size() - shown) + " more>", misc, totalUs, out);
    }
    if (s.classesOverflowed() > 0 && opts.groupBy() == GroupBy.PATTERN) {
      out.printf(
          Locale.ROOT,
          "# (%d requests fell into %s classes after the class cap was reached)%n",
          s.classesOverflowed(),
          Digest.OTHER);
    }
    out.println();
  }

  private static GroupStats mergeOf(List<GroupBy.Row> rows) {
    return GroupStats.sum(rows.stream().map(GroupBy.Row::stats).toList());
  }

  private static void profileLine(
      String rank, String label, GroupStats st, long totalUs, PrintWriter out) {
    Latency lat = st.latency();
    double share = totalUs > 0 ? (double) st.latencySumUs() / totalUs : 0;
    String perCall =
        st.responses() > 0 ? Units.micros((double) st.latencySumUs() / st.responses()) : "-";
    String p99 = lat.count() > 0 ? Units.micros(lat.percentile(99)) : "-";
    out.printf(
        Locale.ROOT,
        "# %4s %8s %6s %8s %8s %8s %7s  %s%n",
        rank,
        Units.micros(st.latencySumUs()),
        Units.percent(share),
        Units.count(st.requests()),
        perCall,
        p99,
        Units.count(st.errors()),
        label);
  }

  private static void detail(
      int rank, GroupBy.Row row, ReportOptions opts, DigestSnapshot s, PrintWriter out) {
    GroupBy groupBy = opts.groupBy();
    GroupStats st = row.stats();
    Latency lat = st.latency();
    out.printf(Locale.ROOT, "# %s %d: %s%n", groupBy.heading(), rank, row.label());
    double callShare = s.requests() > 0 ? (double) st.requests() / s.requests() : 0;
    out.printf(
        Locale.ROOT,
        "# Calls %s (%s of all), responses %s, errors %s%s%n",
        Units.count(st.requests()),
        Units.percent(callShare),
        Units.count(st.responses()),
        Units.count(st.errors()),
        st.errors() > 0 ? " (" + errorList(st.errorsByCode()) + ")" : "");
    if (groupBy == GroupBy.CLIENT) {
      out.printf(Locale.ROOT, "# Connections %s%n", Units.count(st.connections()));
    }
    ClassFacts facts = ClassFacts.of(s, row.cls(), st, opts.slowUs());
    out.printf(
        Locale.ROOT,
        "# Rate %s/s, concurrency %.2f%s%n",
        Units.count(facts.qps()),
        facts.concurrency(),
        opts.slowUs() > 0
            ? ", " + Units.count(facts.slow()) + " slower than " + Units.micros(opts.slowUs())
            : "");
    if (facts.slowest() != null) {
      out.printf(
          Locale.ROOT,
          "# Slowest: %s at %s, client %s session %s xid %d%n",
          Units.micros(facts.slowestUs()),
          Units.instant(facts.slowest().timeNanos()),
          facts.slowest().client(),
          Units.session(facts.slowest().session()),
          facts.slowest().xid());
    }
    List<Map.Entry<String, Long>> clients = row.cls() != null ? s.topClients(row.cls()) : List.of();
    if (!clients.isEmpty()) {
      StringJoiner j = new StringJoiner(", ");
      clients.stream()
          .limit(5)
          .forEach(e -> j.add(e.getKey() + " (" + Units.count(e.getValue()) + ")"));
      out.printf(
          Locale.ROOT,
          "# Clients: %s%s%n",
          j,
          clients.size() > 5 ? ", and " + (clients.size() - 5) + " more" : "");
    }
    if (lat.count() > 0) {
      out.printf(
          Locale.ROOT,
          "# Response time: total %s, min %s, p50 %s, p95 %s, p99 %s, max %s%n",
          Units.micros(st.latencySumUs()),
          Units.micros(lat.min()),
          Units.micros(lat.percentile(50)),
          Units.micros(lat.percentile(95)),
          Units.micros(lat.percentile(99)),
          Units.micros(lat.max()));
    }
    out.printf(
        Locale.ROOT,
        "# Bytes: requests %s (avg %s), responses %s (avg %s)%n",
        Units.bytes(st.requestBytes()),
        Units.bytes(st.requests() > 0 ? (double) st.requestBytes() / st.requests() : 0),
        Units.bytes(st.responseBytes()),
        Units.bytes(st.responses() > 0 ? (double) st.responseBytes() / st.responses() : 0));
    if (lat.count() > 0) {
      out.println("# Response time distribution");
      histogram(lat, out);
    }
    out.println();
  }

  /** Log-scale buckets, one bar each, scaled to the fullest bucket. */
  static void histogram(Latency lat, PrintWriter out) {
    long[] counts = new long[BUCKET_LABELS.length];
    lat.forEachValue(
        (value, n) -> {
          int b = 0;
          while (b < BUCKETS_US.length && value >= BUCKETS_US[b]) {
            b++;
          }
          counts[b] += n;
        });
    long max = 1;
    for (long c : counts) {
      max = Math.max(max, c);
    }
    for (int b = 0; b < counts.length; b++) {
      int len = counts[b] == 0 ? 0 : (int) Math.max(1, counts[b] * BAR / max);
      out.printf(Locale.ROOT, "# %s  %s%n", BUCKET_LABELS[b], "#".repeat(len));
    }
  }

  private static void extras(DigestSnapshot s, PrintWriter out) {
    if (!s.eventsByType().isEmpty()) {
      out.println("# Watch events");
      s.eventsByType().forEach((k, v) -> out.printf(Locale.ROOT, "#   %-50s %8d%n", k, v));
      Map<String, Long> patterns = new java.util.HashMap<>();
      s.eventPatterns().forEach((k, v) -> patterns.put(k.toString(), v));
      out.println("#   by type and path:");
      top(patterns, 10)
          .forEach(e -> out.printf(Locale.ROOT, "#     %-48s %8d%n", e.getKey(), e.getValue()));
      out.println();
    }
    if (!s.multiSubOps().isEmpty()) {
      out.println("# Operations inside multi and multiRead   results");
      s.multiSubOps()
          .forEach(
              (k, v) -> {
                Map<String, Long> results = s.multiSubResults().getOrDefault(k, Map.of());
                StringJoiner j = new StringJoiner(", ");
                results.forEach((code, n) -> j.add(code + " " + n));
                out.printf(Locale.ROOT, "#   %-28s %8d  %s%n", k, v, j);
              });
      out.println();
    }
    if (!s.fourLetterWords().isEmpty()) {
      out.println("# Four-letter words          count  answer bytes");
      s.fourLetterWords()
          .forEach(
              (k, v) ->
                  out.printf(Locale.ROOT, "#   %-20s %10d %13d%n", k, v.count(), v.answerBytes()));
      out.println();
    }
    List<Map.Entry<String, GroupStats>> clients = Rows.busiestFirst(s.clientsByAddress());
    if (!clients.isEmpty()) {
      out.println("# Clients                                  conns  requests   errors");
      for (int i = 0; i < Math.min(10, clients.size()); i++) {
        GroupStats c = clients.get(i).getValue();
        out.printf(
            Locale.ROOT,
            "#   %-38s %6d %9d %8d%n",
            clients.get(i).getKey(),
            c.connections(),
            c.requests(),
            c.errors());
      }
      if (clients.size() > 10) {
        out.printf(Locale.ROOT, "#   ... and %d more%n", clients.size() - 10);
      }
      out.println();
    }
    if (!s.decodeErrorReasons().isEmpty()) {
      out.println("# Decode errors");
      s.decodeErrorReasons().forEach((k, v) -> out.printf(Locale.ROOT, "#   %8d  %s%n", v, k));
      out.println();
    }
  }

  private static List<Map.Entry<String, Long>> top(Map<String, Long> m, int n) {
    List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
    l.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey));
    return l.subList(0, Math.min(n, l.size()));
  }

  private static String plural(long n, String noun) {
    return Units.count(n) + " " + noun + (n == 1 ? "" : "s");
  }

  static String errorList(Map<Integer, Long> byCode) {
    StringJoiner j = new StringJoiner(", ");
    byCode.forEach((code, n) -> j.add(KeeperErrors.name(code) + " " + n));
    return j.toString();
  }
}
