package dev.zkdigest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

  private static ZkRequest req(int xid, long t) {
    return new ZkRequest(xid, Op.GET_DATA, "/x", RequestBody.None.INSTANCE, 20, t, true);
  }

  @Test
  void inOrderRepliesKeepNothingBehind() {
    PendingRequests p = new PendingRequests();
    for (int xid = 1; xid <= 100_000; xid++) {
      p.put(req(xid, xid));
      if (xid > 8) {
        assertThat(p.remove(xid - 8).xid()).isEqualTo(xid - 8);
      }
    }
    assertThat(p.size()).isEqualTo(8);
    List<Integer> left = new ArrayList<>();
    p.forEach(r -> left.add(r.xid()));
    assertThat(left)
        .containsExactly(99_993, 99_994, 99_995, 99_996, 99_997, 99_998, 99_999, 100_000);
  }

  @Test
  void behavesLikeAnInsertionOrderedMapUnderRandomOperations() {
    // given: a LinkedHashMap as the model of what ZkConnection relied on before
    SplittableRandom rnd = new SplittableRandom(42);
    for (int round = 0; round < 50; round++) {
      PendingRequests p = new PendingRequests();
      LinkedHashMap<Integer, ZkRequest> model = new LinkedHashMap<>();
      int range = 1 + rnd.nextInt(round % 2 == 0 ? 64 : 5_000);
      for (int step = 0; step < 20_000; step++) {
        int xid = rnd.nextInt(range) - 3;
        switch (rnd.nextInt(4)) {
          case 0, 1 -> {
            // when
            ZkRequest r = req(xid, step);
            ZkRequest previous = p.put(r);
            ZkRequest expected = model.get(xid);
            if (expected != null) {
              model.remove(xid); // the replacement is the newest now
            }
            model.put(xid, r);
            // then
            assertThat(previous).isSameAs(expected);
          }
          case 2 -> assertThat(p.remove(xid)).isSameAs(model.remove(xid));
          default -> {
            Iterator<Map.Entry<Integer, ZkRequest>> it = model.entrySet().iterator();
            ZkRequest oldest = it.hasNext() ? it.next().getValue() : null;
            if (oldest != null) {
              it.remove();
            }
            assertThat(p.pollOldest()).isSameAs(oldest);
          }
        }
        assertThat(p.size()).isEqualTo(model.size());
      }
      List<ZkRequest> order = new ArrayList<>();
      p.forEach(order::add);
      assertThat(order).containsExactlyElementsOf(model.values());
      p.clear();
      assertThat(p.size()).isZero();
      assertThat(p.pollOldest()).isNull();
    }
  }
}
