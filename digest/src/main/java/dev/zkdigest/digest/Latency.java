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

  Latency(AbstractHistogram h) {
    this.h = h;
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

  public double mean() {
    return count() == 0 ? 0 : h.getMean();
  }

  /** The value at {@code percentile} (0 to 100), at the histogram's precision; 0 when empty. */
  public long percentile(double percentile) {
    return count() == 0 ? 0 : h.getValueAtPercentile(percentile);
  }

  /** Recorded values at or below {@code us}. */
  public long countAtOrBelow(long us) {
    return count() == 0 ? 0 : h.getCountBetweenValues(0, us);
  }

  /** Calls {@code action} with each distinct recorded value and its count, smallest first. */
  public void forEachValue(ValueCount action) {
    for (HistogramIterationValue v : h.recordedValues()) {
      action.accept(v.getValueIteratedTo(), v.getCountAtValueIteratedTo());
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
        sum = first.h.copy();
      }
      sum.add(l.h);
    }
    return sum != null ? new Latency(sum) : first;
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
   * so reports of the same traffic are identical byte for byte.
   */
  public String encode() {
    // Fresh, filled smallest value first: the resizes it goes through, which the encoding
    // records, depend on the values alone.
    Histogram canonical = new Histogram(h.getNumberOfSignificantValueDigits());
    forEachValue(canonical::recordValueWithCount);
    int need = canonical.getNeededByteBufferCapacity();
    ByteBuffer buf = BUFFER.get();
    if (buf.capacity() < need) {
      buf = ByteBuffer.allocate(need);
      BUFFER.set(buf);
    }
    buf.clear();
    int n = canonical.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
  }

  /** Reused per thread: a report encodes a histogram per class, thousands of them. */
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(4096));

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
