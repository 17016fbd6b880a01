package dev.zkdigest.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PendingProposalsTest {

  @Test
  void answersEachProposalOnceWithItsSendTimeInAnyOrder() {
    PendingProposals p = new PendingProposals(8);
    p.add(10, 100);
    p.add(11, 110);
    p.add(12, 120);
    assertThat(p.committed(11)).isEqualTo(110);
    assertThat(p.acked(12)).isEqualTo(120);
    assertThat(p.acked(11)).isEqualTo(110);
    assertThat(p.acked(11)).as("answered already").isEqualTo(-1);
    assertThat(p.acked(99)).as("never proposed").isEqualTo(-1);
    // 10 is still awaited, so nothing left yet; once it is answered both ways the rest drains.
    assertThat(p.size()).isEqualTo(3);
    p.acked(10);
    p.committed(10);
    assertThat(p.size()).isEqualTo(1);
    p.committed(12);
    assertThat(p.size()).isZero();
  }

  @Test
  void aFullRingDropsTheOldestAndKeepsOrder() {
    PendingProposals p = new PendingProposals(100);
    for (int z = 1; z <= 250; z++) {
      p.add(z, z * 10L);
    }
    assertThat(p.size()).isEqualTo(100);
    assertThat(p.evicted()).isEqualTo(150);
    assertThat(p.acked(150)).isEqualTo(-1);
    assertThat(p.acked(151)).isEqualTo(1510);
    assertThat(p.acked(250)).isEqualTo(2500);
  }

  @Test
  void aZxidThatDoesNotGrowIsIgnored() {
    PendingProposals p = new PendingProposals(8);
    p.add(5, 50);
    p.add(5, 51);
    p.add(4, 40);
    assertThat(p.size()).isEqualTo(1);
    assertThat(p.acked(5)).isEqualTo(50);
  }
}
