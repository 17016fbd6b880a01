package dev.zkdigest.budget;

/** How a budget rule compares the measured value with its limit. */
public enum Comparison {
  AT_MOST("<="),
  LESS("<"),
  EQUAL("=="),
  AT_LEAST(">="),
  MORE(">");

  private final String symbol;

  Comparison(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public static Comparison bySymbol(String s) {
    for (Comparison c : values()) {
      if (c.symbol.equals(s)) {
        return c;
      }
    }
    return null;
  }

  public boolean holds(long measured, long limit) {
    return switch (this) {
      case AT_MOST -> measured <= limit;
      case LESS -> measured < limit;
      case EQUAL -> measured == limit;
      case AT_LEAST -> measured >= limit;
      case MORE -> measured > limit;
    };
  }

  /**
   * The verdict on a measurement: a range decides only when the rule holds, or fails, for every
   * value in it (all of these comparisons are monotone, except equality, which a range can only
   * break).
   */
  public Verdict judge(Measured m, long limit) {
    if (m.exact()) {
      return holds(m.low(), limit) ? Verdict.OK : Verdict.BROKEN;
    }
    if (this == EQUAL) {
      return limit < m.low() || limit > m.high() ? Verdict.BROKEN : Verdict.UNDECIDED;
    }
    boolean low = holds(m.low(), limit);
    boolean high = holds(m.high(), limit);
    if (low && high) {
      return Verdict.OK;
    }
    return !low && !high ? Verdict.BROKEN : Verdict.UNDECIDED;
  }
}
