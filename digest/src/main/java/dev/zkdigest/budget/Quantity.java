package dev.zkdigest.budget;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.util.Locale;
import java.util.Map;

/**
 * Something measured in a digest, named as budget files name it ({@code calls getData /app/*},
 * {@code errors create:NODEEXISTS}, {@code p99 getData}, ...). The one place where budgets and the
 * JUnit extension's helpers turn a question into a number. An op of null means every op.
 */
public sealed interface Quantity {

  /** The metric word of a budget line. */
  String metric();

  /** What it applies to, as a budget line writes it. */
  String target();

  Unit unit();

  Measured measure(Traffic traffic);

  /** The quantity as a budget line writes it, e.g. {@code calls getData /app/*}. */
  default String describe() {
    return metric() + " " + target();
  }

  /**
   * Requests of an op (or all), optionally only those naming a raw path the glob matches. Without a
   * glob the count is exact; with one it is exact unless paths of the op went past the cap.
   */
  record Calls(Op op, PathGlob glob) implements Quantity {
    @Override
    public String metric() {
      return "calls";
    }

    @Override
    public String target() {
      return opName(op) + (glob == null ? "" : " " + glob);
    }

    @Override
    public Unit unit() {
      return Unit.COUNT;
    }

    @Override
    public Measured measure(Traffic traffic) {
      DigestSnapshot s = traffic.snapshot();
      if (glob == null) {
        return Measured.exactly(stats(s, op).requests());
      }
      return overPaths(s, op, glob, DigestSnapshot.PathStats::requests, "requests");
    }
  }

  /** Errors of one code or all, of one op or all; exact. */
  record Errors(Op op, Integer code) implements Quantity {
    @Override
    public String metric() {
      return "errors";
    }

    @Override
    public String target() {
      String c = code == null ? "*" : KeeperErrors.name(code);
      return op == null ? c : op.zkName() + ":" + c;
    }

    @Override
    public Unit unit() {
      return Unit.COUNT;
    }

    @Override
    public Measured measure(Traffic traffic) {
      GroupStats st = stats(traffic.snapshot(), op);
      return Measured.exactly(code == null ? st.errors() : st.errors(code));
    }
  }

  /** A percentile of the response time of an op (or all), from its histogram (±1%). */
  record ResponseTime(Op op, Percentile percentile) implements Quantity {
    @Override
    public String metric() {
      return percentile.budgetName();
    }

    @Override
    public String target() {
      return opName(op);
    }

    @Override
    public Unit unit() {
      return Unit.MICROS;
    }

    @Override
    public Measured measure(Traffic traffic) {
      return Measured.exactly(percentile.of(stats(traffic.snapshot(), op).latency()));
    }
  }

  /** Request plus response bytes of an op (or all), optionally only on paths the glob matches. */
  record Bytes(Op op, PathGlob glob) implements Quantity {
    @Override
    public String metric() {
      return "bytes";
    }

    @Override
    public String target() {
      return opName(op) + (glob == null ? "" : " " + glob);
    }

    @Override
    public Unit unit() {
      return Unit.BYTES;
    }

    @Override
    public Measured measure(Traffic traffic) {
      DigestSnapshot s = traffic.snapshot();
      if (glob == null) {
        GroupStats st = stats(s, op);
        return Measured.exactly(st.requestBytes() + st.responseBytes());
      }
      return overPaths(s, op, glob, p -> p.requestBytes() + p.responseBytes(), "bytes");
    }
  }

  /** Findings of one kind, or of every kind (null). */
  record FindingCount(Finding.Kind kind) implements Quantity {
    @Override
    public String metric() {
      return "finding";
    }

    @Override
    public String target() {
      return kind == null ? "*" : kind.jsonName();
    }

    @Override
    public Unit unit() {
      return Unit.COUNT;
    }

    @Override
    public Measured measure(Traffic traffic) {
      return Measured.exactly(
          traffic.findings().stream().filter(f -> kind == null || f.kind() == kind).count());
    }
  }

  /** The response-time statistics a budget can limit. */
  enum Percentile {
    P50(50),
    P95(95),
    P99(99),
    P999(99.9),
    MAX(100);

    private final double percentile;

    Percentile(double percentile) {
      this.percentile = percentile;
    }

    public String budgetName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public long of(dev.zkdigest.digest.Latency latency) {
      return this == MAX ? latency.max() : latency.percentile(percentile);
    }

    /** The statistic a budget word names, or null. */
    public static Percentile byBudgetName(String word) {
      for (Percentile p : values()) {
        if (p.budgetName().equals(word)) {
          return p;
        }
      }
      return null;
    }
  }

  private static String opName(Op op) {
    return op == null ? "*" : op.zkName();
  }

  /** An op's statistics, or every op's together; empty when it was not seen. */
  private static GroupStats stats(DigestSnapshot s, Op op) {
    return op == null ? s.overall() : s.ops().getOrDefault(op, GroupStats.EMPTY);
  }

  /** A sum over the raw paths a glob matches, a range when some went under {@code {other}}. */
  private static Measured overPaths(
      DigestSnapshot s,
      Op op,
      PathGlob glob,
      java.util.function.ToLongFunction<DigestSnapshot.PathStats> value,
      String what) {
    long matched = 0;
    long unknown = 0;
    long otherRequests = 0;
    for (Map.Entry<DigestSnapshot.PathKey, DigestSnapshot.PathStats> e : s.paths().entrySet()) {
      if (op != null && e.getKey().op() != op) {
        continue;
      }
      if (e.getKey().isOther()) {
        unknown += value.applyAsLong(e.getValue());
        otherRequests += e.getValue().requests();
      } else if (glob.matches(e.getKey().path())) {
        matched += value.applyAsLong(e.getValue());
      }
    }
    if (otherRequests == 0) {
      return Measured.exactly(matched);
    }
    return new Measured(
        matched,
        matched + unknown,
        String.format(
            Locale.ROOT,
            "%d %s requests%s named paths past the digest's cap of %d distinct paths,"
                + " counted together under %s",
            otherRequests,
            opName(op),
            what.equals("requests") ? "" : " (" + unknown + " " + what + ")",
            s.limits().paths(),
            Digest.OTHER));
  }
}
