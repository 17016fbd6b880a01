package dev.zkdigest.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZxidTimesTest {
  @Test
  void keepsTheFirstTimeOfTheLatestZxidsAsItGrows() {
    ZxidTimes t = new ZxidTimes(1000);
    for (long z = 1; z <= 1500; z++) {
      t.first(z, z * 10);
      t.first(z, z * 10 + 5); // seen again later: the first time stays
    }
    assertThat(t.get(500)).as("dropped: the oldest leave").isEqualTo(-1);
    assertThat(t.get(501)).isEqualTo(5010);
    assertThat(t.get(1500)).isEqualTo(15000);
    assertThat(t.get(1501)).isEqualTo(-1);
  }
}
