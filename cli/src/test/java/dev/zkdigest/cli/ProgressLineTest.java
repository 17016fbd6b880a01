package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressLineTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void saysBytesDoneOfTheTotalTheRateAndTheTimeLeftAtTheSamePace() {
    // a quarter read in 10 s: three quarters left at that pace is 30 s
    assertThat(ProgressLine.line(250_000_000, 1_000_000_000, 812_000, 10 * SECOND))
        .startsWith("zkdigest: ")
        .contains("(25%)", "packets/s", "about 30s left");
  }

  @Test
  void noTimeLeftOnceEverythingIsReadOrWhenTheSizeIsUnknown() {
    assertThat(ProgressLine.line(1_000, 1_000, 5, SECOND))
        .contains("(100%)")
        .doesNotContain("left");
    assertThat(ProgressLine.line(1_000, 0, 5, SECOND)).doesNotContain("%").doesNotContain("left");
  }
}
