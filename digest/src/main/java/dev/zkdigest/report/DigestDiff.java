package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What changed between two periods, like pt-query-digest's review: the classes that are new or
 * gone, and those whose rate, error rate or p99 moved past a threshold, ranked by impact (the
 * change in response time spent per second of traffic, which weighs a slower class by how often it
 * is called).
 */
public final class DigestDiff {

  /** What counts as a change. */
  public record Thresholds(
      double callsChangePercent,
      double errorRateChangePoints,
      double p99ChangePercent,
      long minCalls) {
    public static final Thresholds DEFAULTS = new Thresholds(50, 1, 50, 10);
  }

  /** One period's view of a class. */
  public record Side(
      long requests,
      double callsPerSecond,
      long errors,
      double errorRate,
      long p99Us,
      double timePerSecondUs) {
    static final Side NONE = new Side(0, 0, 0, 0, 0, 0);

    static Side of(GroupStats st, double seconds) {
      double s = Math.max(seconds, 1e-9);
      return new Side(
          st.requests(),
          st.requests() / s,
          st.errors(),
          st.responses() > 0 ? (double) st.errors() / st.responses() : 0,
          st.latency().percentile(99),
          st.latencySumUs() / s);
    }
  }

  /** How a class changed. */
  public enum Change {
    NEW,
    GONE,
    CHANGED
  }

  /**
   * A class that changed.
   *
   * @param reasons which of calls, errors and p99 moved past their threshold (empty for new and
   *     gone classes)
   * @param impactUsPerSecond the change in response time spent on the class per second
   */
  public record Row(
      ClassKey cls,
      Change change,
      List<String> reasons,
      Side before,
      Side after,
      double impactUsPerSecond) {}

  private final DigestSnapshot before;
  private final DigestSnapshot after;
  private final List<Row> rows;

  private DigestDiff(DigestSnapshot before, DigestSnapshot after, List<Row> rows) {
    this.before = before;
    this.after = after;
    this.rows = List.copyOf(rows);
  }

  public DigestSnapshot before() {
    return before;
  }

  public DigestSnapshot after() {
    return after;
  }

  /** The classes that changed, largest impact first. */
  public List<Row> rows() {
    return rows;
  }

  /** Seconds of traffic a snapshot covers (at least a microsecond, to divide by). */
  public static double seconds(DigestSnapshot s) {
    return Math.max(1e-6, (s.lastNanos() - s.firstNanos()) / 1e9);
  }

  public static DigestDiff of(DigestSnapshot before, DigestSnapshot after, Thresholds t) {
    double sb = seconds(before);
    double sa = seconds(after);
    Set<ClassKey> keys = new LinkedHashSet<>(before.classes().keySet());
    keys.addAll(after.classes().keySet());
    List<Row> rows = new ArrayList<>();
    for (ClassKey k : keys) {
      GroupStats b = before.classes().get(k);
      GroupStats a = after.classes().get(k);
      Side sideB = b == null ? Side.NONE : Side.of(b, sb);
      Side sideA = a == null ? Side.NONE : Side.of(a, sa);
      double impact = sideA.timePerSecondUs() - sideB.timePerSecondUs();
      if (Math.max(sideA.requests(), sideB.requests()) < t.minCalls()) {
        continue;
      }
      if (b == null) {
        rows.add(new Row(k, Change.NEW, List.of(), sideB, sideA, impact));
      } else if (a == null) {
        rows.add(new Row(k, Change.GONE, List.of(), sideB, sideA, impact));
      } else {
        List<String> reasons = new ArrayList<>();
        if (changedBy(sideB.callsPerSecond(), sideA.callsPerSecond(), t.callsChangePercent())) {
          reasons.add("calls");
        }
        if (Math.abs(sideA.errorRate() - sideB.errorRate()) * 100 >= t.errorRateChangePoints()) {
          reasons.add("errors");
        }
        if (changedBy(sideB.p99Us(), sideA.p99Us(), t.p99ChangePercent())) {
          reasons.add("p99");
        }
        if (!reasons.isEmpty()) {
          rows.add(new Row(k, Change.CHANGED, List.copyOf(reasons), sideB, sideA, impact));
        }
      }
    }
    rows.sort(
        Comparator.comparingDouble((Row r) -> -Math.abs(r.impactUsPerSecond()))
            .thenComparing(r -> r.cls().toString()));
    return new DigestDiff(before, after, rows);
  }

  private static boolean changedBy(double before, double after, double percent) {
    if (before == 0) {
      return after != 0;
    }
    return Math.abs(after - before) / before * 100 >= percent;
  }
}
