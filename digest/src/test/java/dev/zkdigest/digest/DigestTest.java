package dev.zkdigest.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import org.junit.jupiter.api.Test;

class DigestTest {
  private static final ConnectionMeta CONN =
      new ConnectionMeta(1, "10.0.0.1", 40000, "10.0.0.2", 2181, 0, true);

  private static void exchange(Digest d, String path, int err, long latencyUs) {
    ZkRequest r = new ZkRequest(1, Op.GET_DATA, path, RequestBody.None.INSTANCE, 30, 1_000, true);
    d.request(CONN, 7, r);
    d.exchange(
        CONN,
        7,
        r,
        new ZkReply(1, 1, err, ReplyBody.None.INSTANCE, 20, 1_000 + latencyUs * 1000, true));
  }

  @Test
  void countsByOpClassClientAndSession() {
    Digest d = new Digest();
    d.opened(CONN);
    exchange(d, "/a/lock-0000000001", 0, 100);
    exchange(d, "/a/lock-0000000002", -101, 300);
    Digest.Snapshot s = d.snapshot();
    Stats cls = s.classes().get(new ClassKey(Op.GET_DATA, "/a/lock-{seq}"));
    assertThat(cls.requests()).isEqualTo(2);
    assertThat(cls.errorsByCode()).containsEntry(-101, 1L);
    assertThat(cls.latencySumUs()).isEqualTo(400);
    assertThat(s.clientsByAddress().get("10.0.0.1").requests()).isEqualTo(2);
    assertThat(s.clientsByAddress().get("10.0.0.1").connections()).isEqualTo(1);
    assertThat(s.sessionsById().get(7L).errors()).isEqualTo(1);
    assertThat(s.ops().get(Op.GET_DATA).latencyUs().getMaxValue()).isBetween(299L, 301L);
    assertThat(s.topClients(cls)).containsExactly(java.util.Map.entry("10.0.0.1", 2L));
  }

  @Test
  void distinctClassesAreCappedAndTheOverflowIsCounted() {
    Digest d = new Digest(new Digest.Limits(10, 10, 10, 10));
    for (int i = 0; i < 100; i++) {
      exchange(d, "/k" + Integer.toString(i, 36) + "x/y", 0, 10);
    }
    Digest.Snapshot s = d.snapshot();
    assertThat(s.classes()).hasSizeLessThanOrEqualTo(11);
    assertThat(s.classes().get(new ClassKey(Op.GET_DATA, Digest.OTHER)).requests()).isEqualTo(90);
    assertThat(s.classesOverflowed()).isEqualTo(90);
  }

  @Test
  void distinctClientsAndSessionsAreCapped() {
    Digest d = new Digest(new Digest.Limits(10, 5, 5, 10));
    for (int i = 0; i < 1000; i++) {
      ConnectionMeta c =
          new ConnectionMeta(i, "10.0." + (i / 250) + "." + (i % 250), 1, "z", 2181, 0, true);
      d.opened(c);
      ZkRequest r = new ZkRequest(1, Op.EXISTS, "/", RequestBody.None.INSTANCE, 30, 0, true);
      d.request(c, 1000 + i, r);
      d.closed(c, 1);
    }
    Digest.Snapshot s = d.snapshot();
    assertThat(s.clientsByAddress()).hasSize(6); // 5 and {other}
    assertThat(s.clientsByAddress().get(Digest.OTHER).requests()).isEqualTo(995);
    assertThat(s.sessionsById()).hasSize(6);
    assertThat(s.requests()).isEqualTo(1000);
  }

  @Test
  void mergeAddsIntervalsIntoTheTotal() {
    Digest a = new Digest();
    Digest b = new Digest();
    exchange(a, "/x", 0, 10);
    exchange(b, "/x", -101, 20);
    a.merge(b);
    assertThat(a.snapshot().ops().get(Op.GET_DATA).requests()).isEqualTo(2);
    assertThat(a.snapshot().errors()).isEqualTo(1);
  }

  @Test
  void topClientsOfAClassAreExactAndSurviveMerging() {
    // given: one class, requests from three clients split over two digests (two shards)
    Digest a = new Digest();
    Digest b = new Digest();
    for (int i = 0; i < 30; i++) {
      ConnectionMeta c =
          new ConnectionMeta(i, "10.0.0." + (i % 3), 1000 + i, "10.0.0.9", 2181, 0, true);
      Digest d = i % 2 == 0 ? a : b;
      for (int k = 0; k <= i % 3; k++) {
        d.request(
            c,
            0,
            new ZkRequest(k + 1, Op.EXISTS, "/n/" + i, RequestBody.None.INSTANCE, 30, 0, true));
      }
    }
    // when
    a.merge(b);
    // then: 10 connections each from .0 (1 request), .1 (2) and .2 (3)
    Digest.Snapshot s = a.snapshot();
    Stats cls = s.classes().get(new ClassKey(Op.EXISTS, "/n/{n}"));
    assertThat(s.topClients(cls))
        .containsExactly(
            java.util.Map.entry("10.0.0.2", 30L),
            java.util.Map.entry("10.0.0.1", 20L),
            java.util.Map.entry("10.0.0.0", 10L));
    assertThat(s.topClients(s.clientsByAddress().get("10.0.0.1"))).isEmpty();
  }

  @Test
  void topClientsListSixteenAndTheRestAsOther() {
    Digest d = new Digest();
    for (int i = 0; i < 40; i++) {
      ConnectionMeta c = new ConnectionMeta(i, "10.1.0." + i, 1, "z", 2181, 0, true);
      for (int k = 0; k < 40 - i; k++) {
        d.request(
            c, 0, new ZkRequest(k, Op.GET_DATA, "/x", RequestBody.None.INSTANCE, 30, 0, true));
      }
    }
    Digest.Snapshot s = d.snapshot();
    var top = s.topClients(s.classes().get(new ClassKey(Op.GET_DATA, "/x")));
    assertThat(top).hasSize(17);
    assertThat(top.get(0)).isEqualTo(java.util.Map.entry("10.1.0.0", 40L));
    assertThat(top.get(16).getKey()).isEqualTo(Digest.OTHER);
    assertThat(top.stream().mapToLong(java.util.Map.Entry::getValue).sum()).isEqualTo(820);
  }
}
