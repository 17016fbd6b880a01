package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** How the profile groups requests: by opcode, by class (opcode and path pattern), and so on. */
public enum GroupBy {
  OP,
  PATTERN,
  CLIENT,
  SESSION;

  /**
   * One profile row.
   *
   * @param cls the class a row of {@link #PATTERN} stands for, else null
   */
  public record Row(String label, GroupStats stats, ClassKey cls) {}

  /** The row of requests on connections whose handshake the capture does not hold. */
  static final String NO_HANDSHAKE = "- (handshake not seen)";

  public static GroupBy parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  public String heading() {
    return switch (this) {
      case OP -> "Operation";
      case PATTERN -> "Class";
      case CLIENT -> "Client";
      case SESSION -> "Session";
    };
  }

  /** Rows ranked by total response time, then by calls: the pt-query-digest order. */
  public List<Row> rows(DigestSnapshot s) {
    List<Row> rows = new ArrayList<>();
    switch (this) {
      case OP -> s.ops().forEach((op, st) -> rows.add(new Row(op.zkName(), st, null)));
      case PATTERN -> s.classes().forEach((k, st) -> rows.add(new Row(k.toString(), st, k)));
      case CLIENT -> s.clientsByAddress().forEach((k, st) -> rows.add(new Row(k, st, null)));
      case SESSION ->
          s.sessionsById()
              .forEach(
                  (k, st) ->
                      rows.add(
                          new Row(
                              k == DigestSnapshot.OTHER_SESSION
                                  ? Digest.OTHER
                                  : k == 0 ? NO_HANDSHAKE : Units.session(k),
                              st,
                              null)));
    }
    rows.sort(RANK);
    return rows;
  }

  public static final Comparator<Row> RANK =
      Comparator.comparingLong((Row r) -> r.stats().latencySumUs())
          .thenComparingLong(r -> r.stats().requests())
          .reversed()
          .thenComparing(Row::label);
}
