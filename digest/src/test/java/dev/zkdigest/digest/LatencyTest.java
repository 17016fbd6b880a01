package dev.zkdigest.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.PackedHistogram;
import org.junit.jupiter.api.Test;

/**
 * {@link Latency} reads histograms and writes their encoding without the library's walks and
 * encoder: every answer is held to HdrHistogram's own, for every kind of histogram a digest makes.
 */
class LatencyTest {
  private static final double[] PERCENTILES = {0, 0.1, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100};

  @Test
  void encodesPercentilesAndMeanAsTheLibraryDoesForEveryKindOfHistogram() {
    // given: flat, packed and 32-bit histograms of one and two digits, with values from zero to
    // the hour a latency is capped at, few and many, some recorded with counts
    Random random = new Random(15);
    List<IntFunction<AbstractHistogram>> kinds =
        List.of(Histogram::new, PackedHistogram::new, IntCountsHistogram::new);
    int cases = 0;
    for (IntFunction<AbstractHistogram> kind : kinds) {
      for (int digits = 1; digits <= 2; digits++) {
        for (LongSupplier values : distributions(random)) {
          for (int n : new int[] {0, 1, 2, 17, 1000, 20_000}) {
            AbstractHistogram h = kind.apply(digits);
            for (int i = 0; i < n; i++) {
              long v = values.getAsLong();
              if (random.nextInt(10) == 0) {
                h.recordValueWithCount(v, 1 + random.nextInt(1000));
              } else {
                h.recordValue(v);
              }
            }
            // when / then
            assertSameAsLibrary(h, random);
            cases++;
          }
        }
      }
    }
    assertThat(cases).isEqualTo(3 * 2 * 5 * 6);
  }

  @Test
  void sumsAndDecodedHistogramsEncodeAsTheLibraryDoes() {
    // given: class histograms summed into an op's (a copy grown by add) and a report's decoded
    Random random = new Random(7);
    List<Latency> parts = new ArrayList<>();
    for (int p = 0; p < 5; p++) {
      AbstractHistogram h = p % 2 == 0 ? Latency.fine() : Latency.packed();
      for (int i = 0; i < 500; i++) {
        h.recordValue((long) Math.exp(random.nextDouble() * Math.log(Latency.MAX_US)));
      }
      parts.add(new Latency(h));
    }
    // when
    Latency sum = Latency.sum(parts);
    Latency decoded = Latency.decode(sum.encode());
    // then
    assertThat(sum.encode()).isEqualTo(libraryEncoding(histogramOf(sum)));
    assertThat(decoded.encode()).isEqualTo(sum.encode());
    assertThat(decoded.summary()).isEqualTo(sum.summary());
    assertSameAsLibrary(histogramOf(decoded), random);
  }

  @Test
  void sumsOfManyEqualTheLibrarysAdd() {
    // given: an op's classes, flat, packed, empty and 32-bit, more than a few of them
    Random random = new Random(11);
    List<Latency> parts = new ArrayList<>();
    Histogram expected = new Histogram(2);
    for (int p = 0; p < 40; p++) {
      AbstractHistogram h =
          switch (p % 3) {
            case 0 -> Latency.fine();
            case 1 -> Latency.packed();
            default -> Latency.presized(2);
          };
      for (int i = 0; i < (p % 5 == 4 ? 0 : 1 + random.nextInt(300)); i++) {
        h.recordValue((long) Math.exp(random.nextDouble() * Math.log(Latency.MAX_US)));
      }
      expected.add(h);
      parts.add(new Latency(h));
    }
    // when
    Latency sum = Latency.sum(parts);
    // then
    assertThat(sum).isEqualTo(new Latency(expected));
    assertThat(sum.encode()).isEqualTo(libraryEncoding(expected));
    assertThat(sum.summary()).isEqualTo(new Latency(expected.copy()).summary());
    assertThat(sum.min()).isEqualTo(expected.getMinValue());
    assertThat(sum.max()).isEqualTo(expected.getMaxValue());
    assertSameAsLibrary(histogramOf(sum), random);
  }

  @Test
  void summaryIsTheSeparateAnswersTogether() {
    // given
    AbstractHistogram h = Latency.packed();
    for (long v = 1; v < 100_000; v = v * 3 / 2 + 1) {
      h.recordValueWithCount(v, v % 7 + 1);
    }
    Latency l = new Latency(h);
    // when
    Latency.Summary s = l.summary();
    // then
    assertThat(s)
        .isEqualTo(
            new Latency.Summary(
                h.getMinValue(),
                h.getValueAtPercentile(50),
                h.getValueAtPercentile(95),
                h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9),
                h.getMaxValue(),
                h.getMean()));
    assertThat(Latency.EMPTY.summary()).isEqualTo(new Latency.Summary(0, 0, 0, 0, 0, 0, 0));
    assertThat(l.countAtOrBelow(-1)).isZero();
  }

  private static List<LongSupplier> distributions(Random random) {
    return List.of(
        () -> random.nextInt(300),
        () -> 500 + random.nextInt(1500),
        () -> (long) Math.exp(random.nextDouble() * Math.log(Latency.MAX_US)),
        () -> random.nextInt(4) == 0 ? Latency.MAX_US : random.nextInt(3),
        () -> 0);
  }

  private static void assertSameAsLibrary(AbstractHistogram h, Random random) {
    Latency l = new Latency(h);
    assertThat(l.encode()).as("encoding of %s", h.getClass()).isEqualTo(libraryEncoding(h));
    if (h.getTotalCount() == 0) {
      assertThat(l.summary()).isEqualTo(new Latency.Summary(0, 0, 0, 0, 0, 0, 0));
      return;
    }
    for (double p : PERCENTILES) {
      assertThat(l.percentile(p)).as("p%s", p).isEqualTo(h.getValueAtPercentile(p));
    }
    assertThat(Double.doubleToLongBits(l.mean())).isEqualTo(Double.doubleToLongBits(h.getMean()));
    for (int i = 0; i < 20; i++) {
      long us = i == 0 ? h.getMaxValue() : random.nextLong(Math.max(1, 2 * h.getMaxValue()));
      assertThat(l.countAtOrBelow(us))
          .as("at or below %s", us)
          .isEqualTo(h.getCountBetweenValues(0, us));
    }
  }

  /**
   * What the library encodes: a fresh auto-resizing histogram of the same precision, filled
   * smallest value first, through its own compressed encoder.
   */
  private static String libraryEncoding(AbstractHistogram h) {
    Histogram canonical = new Histogram(h.getNumberOfSignificantValueDigits());
    h.recordedValues()
        .forEach(
            v ->
                canonical.recordValueWithCount(
                    v.getValueIteratedTo(), v.getCountAtValueIteratedTo()));
    ByteBuffer buf = ByteBuffer.allocate(canonical.getNeededByteBufferCapacity());
    int n = canonical.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), n));
  }

  private static AbstractHistogram histogramOf(Latency l) {
    Histogram h = new Histogram(2);
    l.forEachValue(h::recordValueWithCount);
    return h;
  }
}
