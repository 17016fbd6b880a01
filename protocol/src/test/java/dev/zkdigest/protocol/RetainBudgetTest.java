package dev.zkdigest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large frames in progress on many connections share one budget, so memory does not scale with
 * them.
 */
class RetainBudgetTest {

  private static byte[] getDataReply(int dataBytes) {
    return JuteOut.reply(7, 100, 0).buf(new byte[dataBytes]).raw(new byte[68]).frame();
  }

  @Test
  void manyConnectionsMidwayThroughLargeRepliesStayWithinTheBudget() {
    // given: 1,000 connections sharing 256 KiB, each with a 20 KiB getData reply half received
    RetainBudget budget = new RetainBudget(256 * 1024);
    RecordingListener seen = new RecordingListener();
    List<ZkConnection> conns = new ArrayList<>();
    byte[] request = JuteOut.request(7, Op.GET_DATA).str("/big").bool(false).frame();
    byte[] reply = getDataReply(20_000);
    for (int i = 0; i < 1_000; i++) {
      ZkConnection c =
          new ZkConnection(RecordingListener.meta(false), ProtocolConfig.DEFAULTS, seen, budget);
      c.fromClient(request, 0, request.length, 1_000);
      c.fromServer(reply, 0, reply.length / 2, 2_000);
      conns.add(c);
      // then: never more lent out than the budget, and each connection holds little of its own
      assertThat(budget.inUse()).isLessThanOrEqualTo(256 * 1024);
      assertThat(c.bufferedBytes()).isLessThanOrEqualTo(20_000 + 2 * FrameDecoder.SMALL);
    }
    // when: the replies complete
    for (ZkConnection c : conns) {
      c.fromServer(reply, reply.length / 2, reply.length - reply.length / 2, 3_000);
    }
    // then: every one is matched and counted, with or without a borrowed buffer
    assertThat(seen.replies).hasSize(1_000);
    assertThat(seen.replies).allMatch(r -> r.frameBytes() == reply.length && r.err() == 0);
    assertThat(seen.decodeErrors).isEmpty();
    assertThat(budget.inUse()).isZero();
  }

  @Test
  void aConnectionClosedMidFrameGivesItsBufferBack() {
    RetainBudget budget = new RetainBudget(1 << 20);
    ZkConnection c =
        new ZkConnection(
            RecordingListener.meta(false),
            ProtocolConfig.DEFAULTS,
            new RecordingListener(),
            budget);
    byte[] reply = getDataReply(50_000);
    c.fromServer(reply, 0, 10_000, 1_000);
    assertThat(budget.inUse()).isPositive();
    c.close(2_000);
    assertThat(budget.inUse()).isZero();
  }
}
