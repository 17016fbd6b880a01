package dev.zkdigest.budget;

import dev.zkdigest.protocol.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads budget lines: {@code METRIC TARGET... COMPARISON VALUE}, {@code #} to the end of a line a
 * comment. Every name is checked here (metrics, ops, error codes, finding kinds), so a typo fails
 * before any traffic is read instead of measuring zero.
 */
final class BudgetParser {
  /** The words a line may start with, in the order errors list them. */
  private static final String METRICS = "calls, errors, p50, p95, p99, p999, max, bytes or finding";

  private static final String EXAMPLE = "e.g. 'calls getData /app/* <= 100'";

  private BudgetParser() {}

  static List<Rule> rules(String source, String text) {
    List<Rule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      String body = (hash >= 0 ? line.substring(0, hash) : line).strip();
      if (body.isEmpty()) {
        continue;
      }
      try {
        rules.add(rule(i + 1, body));
      } catch (IllegalArgumentException e) {
        throw new BudgetException(source + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    if (rules.isEmpty()) {
      throw new BudgetException(source + ": no rules");
    }
    return rules;
  }

  private static Rule rule(int line, String body) {
    String[] words = body.split("\\s+");
    if (words.length < 3) {
      throw new IllegalArgumentException(
          "expected METRIC TARGET COMPARISON VALUE, " + EXAMPLE + "; got '" + body + "'");
    }
    Comparison cmp = Comparison.bySymbol(words[words.length - 2]);
    if (cmp == null) {
      throw new IllegalArgumentException(
          "expected a comparison (<=, <, ==, >=, >) before the value, got '"
              + words[words.length - 2]
              + "' in '"
              + body
              + "'");
    }
    List<String> targets = Arrays.asList(words).subList(1, words.length - 2);
    Quantity q = quantity(words[0], targets);
    long limit = q.unit().parse(words[words.length - 1]);
    return new Rule(line, body, q, cmp, limit);
  }

  private static Quantity quantity(String metric, List<String> targets) {
    if (targets.isEmpty()) {
      throw new IllegalArgumentException(
          "'" + metric + "' needs what it applies to (an op, or *), " + EXAMPLE);
    }
    Quantity.Percentile p = Quantity.Percentile.byBudgetName(metric);
    switch (metric) {
      case "calls", "bytes" -> {
        if (targets.size() > 2) {
          throw new IllegalArgumentException(
              "'" + metric + "' takes an op (or *) and an optional path glob, got " + targets);
        }
        Op op = Names.op(targets.get(0));
        PathGlob glob = targets.size() == 2 ? PathGlob.of(targets.get(1)) : null;
        return metric.equals("calls") ? new Quantity.Calls(op, glob) : new Quantity.Bytes(op, glob);
      }
      case "errors" -> {
        one(metric, targets, "an error code, op:CODE, or *");
        return errors(targets.get(0));
      }
      case "finding" -> {
        one(metric, targets, "a finding kind, or *");
        return new Quantity.FindingCount(Names.kind(targets.get(0)));
      }
      default -> {
        if (p == null) {
          throw new IllegalArgumentException(
              "unknown metric '" + metric + "': expected " + METRICS);
        }
        one(metric, targets, "an op, or *");
        return new Quantity.ResponseTime(Names.op(targets.get(0)), p);
      }
    }
  }

  private static void one(String metric, List<String> targets, String what) {
    if (targets.size() != 1) {
      throw new IllegalArgumentException(
          "'" + metric + "' takes one target (" + what + "), got " + String.join(" ", targets));
    }
  }

  private static Quantity errors(String target) {
    if (target.equals("*")) {
      return new Quantity.Errors(null, null);
    }
    int colon = target.indexOf(':');
    if (colon < 0) {
      return new Quantity.Errors(null, Names.code(target));
    }
    // *:CODE is CODE; op:* is every error of the op.
    Op op = Names.op(target.substring(0, colon));
    String c = target.substring(colon + 1);
    return new Quantity.Errors(op, c.equals("*") ? null : Names.code(c));
  }
}
