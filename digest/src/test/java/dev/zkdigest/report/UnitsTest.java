package dev.zkdigest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Units' own formatting, held to the JDK's (Instant.toString, Formatter) it replaces. */
class UnitsTest {
  @Test
  void instantsReadAsInstantToStringWrites() {
    // given: whole seconds, milli-, micro- and nanosecond fractions, and times before 1970
    Random random = new Random(15);
    long[] fixed = {0, 1, 999_999_999, 1_000_000_000, -1, 1_764_662_400_123_000_000L};
    for (long nanos : fixed) {
      assertThat(Units.instant(nanos)).isEqualTo(Instant.ofEpochSecond(0, nanos).toString());
    }
    for (int i = 0; i < 10_000; i++) {
      long nanos = random.nextLong() / 4;
      switch (i % 4) {
        case 0 -> nanos -= Math.floorMod(nanos, 1_000_000_000L);
        case 1 -> nanos -= Math.floorMod(nanos, 1_000_000L);
        case 2 -> nanos -= Math.floorMod(nanos, 1_000L);
        default -> {}
      }
      // when / then
      assertThat(Units.instant(nanos)).isEqualTo(Instant.ofEpochSecond(0, nanos).toString());
      assertThat(Units.instant(nanos + 7))
          .isEqualTo(Instant.ofEpochSecond(0, nanos + 7).toString());
    }
  }

  @Test
  void fixedDecimalsReadAsTheFormatterWrites() {
    // given: random magnitudes, values on and beside ties (x.x5, x.xx5), zero, and the far ends
    Random random = new Random(15);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 40_000; i++) {
      values.add(Math.pow(10, random.nextDouble() * 12 - 3) * random.nextDouble());
      double tie = (random.nextInt(1_000_000) + 0.5) / Math.pow(10, random.nextInt(3));
      values.add(tie);
      values.add(Math.nextUp(tie));
      values.add(Math.nextDown(tie));
      values.add(random.nextInt(100_000) / 100.0 + 0.005);
    }
    values.addAll(List.of(0.0, -0.0, -1.5, 1e9, 1e15, 0.125, 2.675, 1.005, Double.NaN, 1e300));
    for (double v : values) {
      for (int decimals = 0; decimals <= 2; decimals++) {
        // when / then
        assertThat(Units.fixed(v, decimals))
            .as("%s to %d decimals", v, decimals)
            .isEqualTo(String.format(Locale.ROOT, "%." + decimals + "f", v));
      }
    }
  }
}
