package dev.zkdigest.digest;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * A read-only latency distribution in microseconds: the histogram a group recorded, handed over
 * whole at a snapshot (never written again) and only read from then on. Merging makes a new one.
 */
public final class Latency {
  /** Longest latency recorded; anything longer is an hour (a reply to a stale request). */
  static final long MAX_US = 3_600_000_000L;

  public static final Latency EMPTY = new Latency(new Histogram(2));

  private final AbstractHistogram h;

  /**
   * The layout of {@code h}, or null for one this class does not read itself (the library does).
   */
  private final HistogramLayout layout;

  Latency(AbstractHistogram h) {
    this.h = h;
    this.layout =
        h.getLowestDiscernibleValue() == 1
            ? HistogramLayout.of(h.getNumberOfSignificantValueDigits())
            : null;
  }

  public long count() {
    return h.getTotalCount();
  }

  public long min() {
    return count() == 0 ? 0 : h.getMinValue();
  }

  public long max() {
    return count() == 0 ? 0 : h.getMaxValue();
  }

  /**
   * The mean, as the library computes it (each value at the middle of its bucket); 0 when empty.
   */
  public double mean() {
    if (count() == 0) {
      return 0;
    }
    if (layout == null) {
      return h.getMean();
    }
    return walk().mean(layout, count());
  }

  /** The value at {@code percentile} (0 to 100), at the histogram's precision; 0 when empty. */
  public long percentile(double percentile) {
    if (count() == 0) {
      return 0;
    }
    if (layout == null) {
      return h.getValueAtPercentile(percentile);
    }
    return walk().valueAt(layout, percentile, count());
  }

  /**
   * What reports print of a distribution, from one walk of the histogram (each percentile on its
   * own walks it again, slowly for a packed histogram).
   */
  public Summary summary() {
    if (count() == 0) {
      return Summary.EMPTY;
    }
    if (layout == null) {
      return new Summary(
          min(),
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(95),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          max(),
          h.getMean());
    }
    long n = count();
    Walk w = walk();
    return new Summary(
        min(),
        w.valueAt(layout, 50, n),
        w.valueAt(layout, 95, n),
        w.valueAt(layout, 99, n),
        w.valueAt(layout, 99.9, n),
        max(),
        w.mean(layout, n));
  }

  /** Minimum, percentiles, maximum and mean of a distribution; all 0 when it is empty. */
  public record Summary(long min, long p50, long p95, long p99, long p999, long max, double mean) {
    static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0, 0);
  }

  /** Recorded values at or below {@code us}. */
  public long countAtOrBelow(long us) {
    if (count() == 0) {
      return 0;
    }
    if (layout == null) {
      return h.getCountBetweenValues(0, us);
    }
    if (us < 0) {
      return 0; // latencies and sizes are never negative
    }
    Walk w = walk();
    int last = layout.index(us);
    long n = 0;
    for (int i = 0; i < w.size && w.indexes[i] <= last; i++) {
      n += w.counts[i];
    }
    return n;
  }

  /** Calls {@code action} with each distinct recorded value and its count, smallest first. */
  public void forEachValue(ValueCount action) {
    for (HistogramIterationValue v : h.recordedValues()) {
      action.accept(v.getValueIteratedTo(), v.getCountAtValueIteratedTo());
    }
  }

  /**
   * The recorded counts by index, read once into this thread's scratch arrays: a packed histogram
   * is slow to read an index at a time, and the library's percentile walks every index of the
   * histogram for each percentile, where this stops at the last value.
   */
  private Walk walk() {
    Walk w = WALK.get();
    w.size = 0;
    long total = count();
    int last = layout.index(h.getMaxValue());
    long seen = 0;
    for (int i = 0; i <= last && seen < total; i++) {
      long c = h.getCountAtValue(layout.lowestAt(i));
      if (c != 0) {
        w.add(i, c);
        seen += c;
      }
    }
    return w;
  }

  private static final ThreadLocal<Walk> WALK = ThreadLocal.withInitial(Walk::new);

  /** The non-zero counts of one histogram by index, ascending; reused per thread. */
  private static final class Walk {
    int[] indexes = new int[256];
    long[] counts = new long[256];
    int size;

    void add(int index, long count) {
      if (size == indexes.length) {
        indexes = Arrays.copyOf(indexes, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
      }
      indexes[size] = index;
      counts[size] = count;
      size++;
    }

    /** {@code AbstractHistogram.getValueAtPercentile}'s answer, from the counts. */
    long valueAt(HistogramLayout layout, double percentile, long total) {
      // Less one ulp so that rounding cannot overrun into the next bucket, as the library does.
      double requested =
          Math.min(Math.max(Math.nextAfter(percentile, Double.NEGATIVE_INFINITY), 0.0D), 100.0D);
      long countAtPercentile = Math.max((long) Math.ceil((requested * total) / 100.0D), 1);
      long sum = 0;
      for (int i = 0; i < size; i++) {
        sum += counts[i];
        if (sum >= countAtPercentile) {
          return percentile == 0.0 ? layout.lowestAt(indexes[i]) : layout.highestAt(indexes[i]);
        }
      }
      return 0;
    }

    /** {@code AbstractHistogram.getMean}'s answer, summed in the same order. */
    double mean(HistogramLayout layout, long total) {
      double sum = 0;
      for (int i = 0; i < size; i++) {
        sum += layout.medianAt(indexes[i]) * (double) counts[i];
      }
      return (sum * 1.0) / total;
    }
  }

  /** Receives one value and its count. */
  public interface ValueCount {
    void accept(long value, long count);
  }

  /** This and {@code other} together, in a new histogram of this one's precision. */
  public Latency merge(Latency other) {
    return sum(List.of(this, other));
  }

  /**
   * All of them together, in one new histogram of the first one's precision (kept even when empty,
   * so a sum of empty histograms encodes as any one of them does).
   */
  public static Latency sum(List<Latency> all) {
    if (all.isEmpty()) {
      return EMPTY;
    }
    Latency first = all.get(0);
    AbstractHistogram sum = null;
    for (int i = 1; i < all.size(); i++) {
      Latency l = all.get(i);
      if (l.count() == 0) {
        continue;
      }
      if (sum == null) {
        sum = startSum(first, all.size());
      }
      l.addTo(sum);
    }
    return sum != null ? new Latency(sum) : first;
  }

  /**
   * Sums of many histograms (an op's classes, a report's rows past its limit: up to 100,000) go
   * into one flat histogram, quick to add into where a packed one expands entry by entry; sums of a
   * few (the same group from each thread) stay as compact as the first.
   */
  private static final int FLAT_SUM_INPUTS = 16;

  private static AbstractHistogram startSum(Latency first, int inputs) {
    if (inputs <= FLAT_SUM_INPUTS || first.layout == null) {
      return first.h.copy();
    }
    AbstractHistogram sum = new Histogram(first.h.getNumberOfSignificantValueDigits());
    first.addTo(sum);
    return sum;
  }

  /**
   * Adds this one's counts into {@code sum}: each at the lowest value of its bucket, as the
   * library's {@code add} does, but from one walk that ends at the last value (the library reads
   * every index of the counts array, one packed lookup each).
   */
  private void addTo(AbstractHistogram sum) {
    if (layout == null) {
      sum.add(h);
      return;
    }
    Walk w = walk();
    for (int i = 0; i < w.size; i++) {
      sum.recordValueWithCount(layout.lowestAt(w.indexes[i]), w.counts[i]);
    }
  }

  /** Same values with the same counts, whatever histogram recorded them. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Latency other) || other.count() != count()) {
      return false;
    }
    List<long[]> mine = new ArrayList<>();
    forEachValue((v, n) -> mine.add(new long[] {v, n}));
    List<long[]> theirs = new ArrayList<>();
    other.forEachValue((v, n) -> theirs.add(new long[] {v, n}));
    if (mine.size() != theirs.size()) {
      return false;
    }
    for (int i = 0; i < mine.size(); i++) {
      if (!Arrays.equals(mine.get(i), theirs.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count()) * 31 + Long.hashCode(max());
  }

  /**
   * HdrHistogram's compressed encoding, in base64: what JSON reports carry to be merged. The same
   * values give the same text whatever histogram recorded them (flat, packed, resized as it went),
   * so reports of the same traffic are identical byte for byte: the text a fresh histogram of this
   * one's precision, filled smallest value first, encodes to ({@link HistogramEncoder}).
   */
  public String encode() {
    if (layout == null) {
      return libraryEncode();
    }
    Walk w = count() == 0 ? EMPTY_WALK : walk();
    return HistogramEncoder.get().encode(layout, w.indexes, w.counts, w.size);
  }

  private static final Walk EMPTY_WALK = new Walk();

  /** {@link #encode} through the library, for a histogram of another layout. */
  private String libraryEncode() {
    Histogram canonical = new Histogram(h.getNumberOfSignificantValueDigits());
    forEachValue(canonical::recordValueWithCount);
    ByteBuffer buf = ByteBuffer.allocate(canonical.getNeededByteBufferCapacity());
    int n = canonical.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
  }

  /** Reads {@link #encode}'s output; the precision travels in the encoding. */
  public static Latency decode(String base64) {
    try {
      ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(base64));
      return new Latency(PackedHistogram.decodeFromCompressedByteBuffer(buf, 0));
    } catch (DataFormatException | RuntimeException e) {
      throw new IllegalArgumentException("not an encoded latency histogram", e);
    }
  }

  /** Two significant digits (±1%): classes, and everything summed from them. */
  static AbstractHistogram fine() {
    return new Histogram(2);
  }

  /** Two significant digits in less memory, slower to record into: classes past the first ones. */
  static AbstractHistogram packed() {
    return new PackedHistogram(2);
  }

  /**
   * Latencies up to this many µs (16 ms) record without a resize into a histogram from {@link
   * #presized}. HdrHistogram grows an auto-resizing histogram by catching an exception, whose stack
   * trace cost more than the recording: the timeline makes fresh histograms all run long.
   */
  static final long PRESIZED_US = 1L << 14;

  /**
   * {@code digits} significant digits with 32-bit counts, for timeline buckets and their classes
   * (recorded into per reply and made anew every bucket: a packed histogram costs too much there),
   * covering {@link #PRESIZED_US} from the start (4 KB at two digits, 0.7 KB at one) and growing
   * past it as any other.
   */
  static AbstractHistogram presized(int digits) {
    IntCountsHistogram h = new IntCountsHistogram(1, PRESIZED_US, digits);
    h.setAutoResize(true);
    return h;
  }

  /** One significant digit (±10%): clients and sessions, ranked more than read. */
  static AbstractHistogram coarse() {
    return new IntCountsHistogram(1);
  }
}
