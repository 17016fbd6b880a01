package dev.zkdigest.junit;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.budget.InexactMeasurementException;
import dev.zkdigest.budget.Measured;
import dev.zkdigest.budget.Names;
import dev.zkdigest.budget.PathGlob;
import dev.zkdigest.budget.Quantity;
import dev.zkdigest.budget.Traffic;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.findings.Finding;
import dev.zkdigest.protocol.Op;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable digest of some traffic (one test's, or one class's), with helpers that read like the
 * report: {@code calls("getChildren2", "/app/election/*")}, {@code errors("NONODE")}, {@code
 * latency("getData").p99()}, {@code findings()}. Ops and error codes go by ZooKeeper's names;
 * {@code "*"} means every op. A wrong name throws {@link IllegalArgumentException}, never counts
 * zero. The whole model is {@link #snapshot()}, the data the JSON report carries.
 */
public final class TrafficDigest {
  private final Traffic traffic;
  private final String scope;

  TrafficDigest(DigestSnapshot snapshot, String scope) {
    this.traffic = Traffic.of(snapshot);
    this.scope = scope;
  }

  /** The digest's own snapshot: ops, classes, clients, sessions, raw paths, errors, histograms. */
  public DigestSnapshot snapshot() {
    return traffic.snapshot();
  }

  /** What this digest covers, e.g. {@code com.example.ElectionTest#leaderIsQuiet}. */
  public String scope() {
    return scope;
  }

  /** Requests of an op ({@code "*"}: every op, the handshake counted as {@code connect}). */
  public long calls(String op) {
    return exact(new Quantity.Calls(Names.op(op), null), "calls(" + op + ")");
  }

  /**
   * Requests of an op on the raw paths a glob matches ({@code *} within a segment, {@code **}
   * across segments).
   *
   * @throws InexactMeasurementException when paths of the op went past the digest's cap on distinct
   *     paths, so the count can only be given as a range ({@link #callsRange})
   */
  public long calls(String op, String pathGlob) {
    return exact(
        new Quantity.Calls(Names.op(op), PathGlob.of(pathGlob)),
        "calls(" + op + ", " + pathGlob + ")");
  }

  /** The same count as a range, exact ({@code low == high}) unless paths went past the cap. */
  public Measured callsRange(String op, String pathGlob) {
    return new Quantity.Calls(Names.op(op), PathGlob.of(pathGlob)).measure(traffic);
  }

  /** Every error, all codes and ops. */
  public long errors() {
    return exact(new Quantity.Errors(null, null), "errors()");
  }

  /** Errors of a code across ops, e.g. {@code errors("NONODE")}. */
  public long errors(String code) {
    return exact(new Quantity.Errors(null, Names.code(code)), "errors(" + code + ")");
  }

  /** Errors of a code for one op, e.g. {@code errors("create", "NODEEXISTS")}. */
  public long errors(String op, String code) {
    return exact(
        new Quantity.Errors(Names.op(op), code.equals("*") ? null : Names.code(code)),
        "errors(" + op + ", " + code + ")");
  }

  /** Response times of an op ({@code "*"}: every op). */
  public LatencySummary latency(String op) {
    Op o = Names.op(op);
    GroupStats st =
        o == null ? snapshot().overall() : snapshot().ops().getOrDefault(o, GroupStats.EMPTY);
    return LatencySummary.of(st.latency());
  }

  /** Request plus response bytes of an op ({@code "*"}: every op). */
  public long bytes(String op) {
    return exact(new Quantity.Bytes(Names.op(op), null), "bytes(" + op + ")");
  }

  /** Request plus response bytes of an op on the raw paths a glob matches. */
  public long bytes(String op, String pathGlob) {
    return exact(
        new Quantity.Bytes(Names.op(op), PathGlob.of(pathGlob)),
        "bytes(" + op + ", " + pathGlob + ")");
  }

  /** Requests by raw path for an op, the paths a glob matches; {@code {other}} past the cap. */
  public Map<String, Long> paths(String op, String pathGlob) {
    Op o = Names.op(op);
    PathGlob g = PathGlob.of(pathGlob);
    Map<String, Long> m = new TreeMap<>();
    snapshot()
        .paths()
        .forEach(
            (k, v) -> {
              if ((o == null || k.op() == o) && (k.isOther() || g.matches(k.path()))) {
                m.merge(k.path(), v.requests(), Long::sum);
              }
            });
    return m;
  }

  /** What the detectors found in this traffic (herds, polling, hot znodes, ...). */
  public List<Finding> findings() {
    return traffic.findings();
  }

  public List<Finding> findings(Finding.Kind kind) {
    return findings().stream().filter(f -> f.kind() == kind).toList();
  }

  /** Distinct sessions seen in handshakes. */
  public long sessions() {
    return snapshot().sessions();
  }

  public long connections() {
    return snapshot().connections();
  }

  /** A budget's verdicts on this traffic. */
  public BudgetResult check(Budget budget) {
    return budget.evaluate(traffic);
  }

  private long exact(Quantity q, String what) {
    Measured m = q.measure(traffic);
    if (!m.exact()) {
      throw new InexactMeasurementException(what, m);
    }
    return m.low();
  }

  @Override
  public String toString() {
    return "TrafficDigest[" + scope + ": " + snapshot().requests() + " requests]";
  }
}
