package dev.zkdigest.quorum;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution in microseconds, frozen: a copy of a recorder's histogram that is never
 * changed again, with the percentile fields the reports print. Two merge exactly (histograms add).
 */
public final class Latency {
  /** Three significant digits, as the digest's per-opcode latencies. */
  static final int DIGITS = 3;

  public static final Latency EMPTY = new Latency(new Histogram(DIGITS), 0);

  private final Histogram histogram;
  private final long sumUs;

  private Latency(Histogram histogram, long sumUs) {
    this.histogram = histogram;
    this.sumUs = sumUs;
  }

  /** A frozen copy of {@code h}. */
  static Latency of(Histogram h, long sumUs) {
    return new Latency(h.copy(), sumUs);
  }

  public Latency merge(Latency other) {
    if (other.count() == 0) {
      return this;
    }
    if (count() == 0) {
      return other;
    }
    Histogram h = histogram.copy();
    h.add(other.histogram);
    return new Latency(h, sumUs + other.sumUs);
  }

  public long count() {
    return histogram.getTotalCount();
  }

  public long min() {
    return count() == 0 ? 0 : histogram.getMinValue();
  }

  public long max() {
    return count() == 0 ? 0 : histogram.getMaxValue();
  }

  public double mean() {
    return count() == 0 ? 0 : histogram.getMean();
  }

  /** The value at {@code percentile} (0 to 100), or 0 when empty. */
  public long percentile(double percentile) {
    return count() == 0 ? 0 : histogram.getValueAtPercentile(percentile);
  }

  public long sum() {
    return sumUs;
  }
}
