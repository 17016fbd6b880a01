package dev.zkdigest.report;

import java.util.Comparator;
import java.util.Locale;

/** How the text profile ranks its rows ({@code --order-by}); ties go by label. */
public enum Order {
  /** Total response time, then calls: pt-query-digest's own order (the default). */
  TIME(GroupBy.RANK),
  CALLS(by(r -> r.stats().requests())),
  ERRORS(by(r -> r.stats().errors())),
  BYTES(by(r -> r.stats().requestBytes() + r.stats().responseBytes())),
  P99(by(r -> r.stats().latency().percentile(99)));

  private final Comparator<GroupBy.Row> rank;

  Order(Comparator<GroupBy.Row> rank) {
    this.rank = rank;
  }

  public Comparator<GroupBy.Row> rank() {
    return rank;
  }

  public static Order parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  private static Comparator<GroupBy.Row> by(java.util.function.ToLongFunction<GroupBy.Row> key) {
    return Comparator.comparingLong(key).reversed().thenComparing(GroupBy.RANK);
  }
}
