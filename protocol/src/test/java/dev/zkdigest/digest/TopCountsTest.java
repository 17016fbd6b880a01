package dev.zkdigest.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopCountsTest {

  @Test
  void countsExactlyWhileKeysFit() {
    TopCounts t = new TopCounts(4);
    for (int i = 0; i < 10; i++) {
      t.add("a", 1);
    }
    t.add(new String("b"), 3); // equal but not the same string
    t.add("b", 1);
    t.add("c", 2);
    assertThat(t.ranked("{other}", 16))
        .containsExactly(Map.entry("a", 10L), Map.entry("b", 4L), Map.entry("c", 2L));
  }

  @Test
  void listsAtMostTheLimitAndPutsTheRestInOther() {
    TopCounts t = new TopCounts(8);
    for (int i = 0; i < 5; i++) {
      t.add("k" + i, 10 - i);
    }
    assertThat(t.ranked("{other}", 2))
        .containsExactly(Map.entry("k0", 10L), Map.entry("k1", 9L), Map.entry("{other}", 21L));
  }

  @Test
  void findsAHeavyHitterAmongManyLightKeys() {
    // given: 5,000 clients with a few requests each, and one with a tenth of all requests
    TopCounts t = new TopCounts(32);
    SplittableRandom rnd = new SplittableRandom(7);
    long heavy = 0;
    for (int i = 0; i < 200_000; i++) {
      if (rnd.nextInt(10) == 0) {
        t.add("heavy", 1);
        heavy++;
      } else {
        t.add("light-" + rnd.nextInt(5_000), 1);
      }
    }
    // when
    List<Map.Entry<String, Long>> top = t.ranked("{other}", 16);
    // then: it is first, with a count it is known to have at least
    assertThat(top.get(0).getKey()).isEqualTo("heavy");
    assertThat(top.get(0).getValue()).isBetween(heavy * 9 / 10, heavy);
    // and the light keys, whose lower bounds are near zero, are not listed one by one
    assertThat(top).hasSize(2);
    assertThat(top.get(1).getKey()).isEqualTo("{other}");
    assertThat(top.get(0).getValue() + top.get(1).getValue()).isEqualTo(200_000);
  }

  @Test
  void mergingKeepsTheTotal() {
    TopCounts a = new TopCounts(2);
    TopCounts b = new TopCounts(2);
    a.add("x", 5);
    b.add("x", 3);
    b.add("y", 4);
    b.add("z", 1); // displaces one of b's keys
    a.addAll(b);
    long sum = a.ranked("{other}", 16).stream().mapToLong(Map.Entry::getValue).sum();
    assertThat(sum).isEqualTo(13);
  }
}
