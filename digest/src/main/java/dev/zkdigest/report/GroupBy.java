package dev.zkdigest.report;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Stats;
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

  /** One profile row. */
  public record Row(String label, Stats stats) {}

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
  public List<Row> rows(Digest.Snapshot s) {
    List<Row> rows = new ArrayList<>();
    switch (this) {
      case OP -> s.ops().forEach((op, st) -> rows.add(new Row(op.zkName(), st)));
      case PATTERN -> s.classes().forEach((k, st) -> rows.add(new Row(k.toString(), st)));
      case CLIENT -> s.clientsByAddress().forEach((k, st) -> rows.add(new Row(k, st)));
      case SESSION ->
          s.sessionsById()
              .forEach(
                  (k, st) -> rows.add(new Row(k == -1L ? Digest.OTHER : Units.session(k), st)));
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
