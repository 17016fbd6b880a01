package dev.zkdigest.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import dev.zkdigest.report.GroupBy;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
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
    exchange(d, "/a/lock-0000000002", KeeperErrors.NONODE, 300);
    DigestSnapshot s = d.snapshot();
    ClassKey key = new ClassKey(Op.GET_DATA, "/a/lock-{seq}");
    GroupStats cls = s.classes().get(key);
    assertThat(cls.requests()).isEqualTo(2);
    assertThat(cls.errorsByCode()).containsEntry(KeeperErrors.NONODE, 1L);
    assertThat(cls.latencySumUs()).isEqualTo(400);
    assertThat(s.clientsByAddress().get("10.0.0.1").requests()).isEqualTo(2);
    assertThat(s.clientsByAddress().get("10.0.0.1").connections()).isEqualTo(1);
    assertThat(s.sessionsById().get(7L).errors()).isEqualTo(1);
    assertThat(s.ops().get(Op.GET_DATA).latency().max()).isBetween(299L, 301L);
    assertThat(s.topClients(key)).containsExactly(Map.entry("10.0.0.1", 2L));
    // and the raw paths, unfolded
    assertThat(s.paths())
        .containsEntry(
            new DigestSnapshot.PathKey(Op.GET_DATA, "/a/lock-0000000001"),
            new DigestSnapshot.PathStats(1, 0, 30, 20))
        .containsEntry(
            new DigestSnapshot.PathKey(Op.GET_DATA, "/a/lock-0000000002"),
            new DigestSnapshot.PathStats(1, 1, 30, 20));
  }

  @Test
  void aMultiWhoseResultsHoldAnErrorIsAnErrorOfThatCode() {
    // given: ZooKeeper answers a failed multi with an OK header; ops before the failure get OK
    // results, the failing one its code, the ones after RUNTIMEINCONSISTENCY
    Digest d = new Digest();
    ZkRequest r =
        new ZkRequest(
            3,
            Op.MULTI,
            null,
            new RequestBody.Multi(
                List.of(
                    new RequestBody.SubOp(Op.CREATE, "/a"),
                    new RequestBody.SubOp(Op.SET_DATA, "/b"),
                    new RequestBody.SubOp(Op.DELETE, "/c"))),
            80,
            0,
            true);
    ReplyBody.Multi results =
        new ReplyBody.Multi(
            List.of(
                new ReplyBody.SubResult(Op.ERROR, KeeperErrors.OK),
                new ReplyBody.SubResult(Op.ERROR, -103),
                new ReplyBody.SubResult(Op.ERROR, KeeperErrors.RUNTIMEINCONSISTENCY)));
    // when
    d.request(CONN, 7, r);
    d.exchange(CONN, 7, r, new ZkReply(3, 9, KeeperErrors.OK, results, 60, 1_000, true));
    // then: what the client's KeeperException says (BADVERSION), and each sub-op's outcome
    DigestSnapshot s = d.snapshot();
    assertThat(s.errors()).isEqualTo(1);
    assertThat(s.ops().get(Op.MULTI).errorsByName()).containsExactly(Map.entry("BADVERSION", 1L));
    assertThat(s.multiSubResults())
        .containsEntry("create", Map.of("OK", 1L))
        .containsEntry("setData", Map.of("BADVERSION", 1L))
        .containsEntry("delete", Map.of("RUNTIMEINCONSISTENCY", 1L));
  }

  @Test
  void aMultiReadNeverFailsAsAWhole() {
    Digest d = new Digest();
    ZkRequest r =
        new ZkRequest(
            3,
            Op.MULTI_READ,
            null,
            new RequestBody.Multi(List.of(new RequestBody.SubOp(Op.GET_DATA, "/gone"))),
            40,
            0,
            true);
    d.request(CONN, 7, r);
    d.exchange(
        CONN,
        7,
        r,
        new ZkReply(
            3,
            9,
            KeeperErrors.OK,
            new ReplyBody.Multi(List.of(new ReplyBody.SubResult(Op.ERROR, KeeperErrors.NONODE))),
            30,
            1_000,
            true));
    DigestSnapshot s = d.snapshot();
    assertThat(s.errors()).isZero();
    assertThat(s.multiSubResults()).containsEntry("getData", Map.of("NONODE", 1L));
  }

  @Test
  void classesPastTheCapFoldIntoOtherOfTheirOwnOp() {
    // given: 100 classes of getData and 100 of exists under a cap of 10
    Digest d = new Digest(new Digest.Limits(10, 10, 10, 10));
    for (int i = 0; i < 100; i++) {
      String path = "/k" + letters(i) + "/y";
      request(d, CONN, i, Op.GET_DATA, path);
      request(d, CONN, i, Op.EXISTS, path);
    }
    // then: ten classes kept, each op's overflow under its own {other}, ops exact
    DigestSnapshot s = d.snapshot();
    long kept = s.classes().keySet().stream().filter(k -> !k.isOther()).count();
    assertThat(kept).isEqualTo(10);
    assertThat(s.ops().get(Op.GET_DATA).requests()).isEqualTo(100);
    assertThat(s.ops().get(Op.EXISTS).requests()).isEqualTo(100);
    assertThat(
            s.classes().get(ClassKey.other(Op.GET_DATA)).requests()
                + s.classes().get(ClassKey.other(Op.EXISTS)).requests())
        .isEqualTo(190)
        .isEqualTo(s.classesOverflowed());
    assertThat(s.classes().keySet()).noneMatch(k -> k.op() == Op.ERROR);
  }

  @Test
  void theClassesKeptPastACapDoNotDependOnArrivalOrder() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      paths.add("/p" + letters(i) + "/q");
    }
    Digest.Limits small = new Digest.Limits(20, 20, 20, 20);
    Digest inOrder = new Digest(small);
    paths.forEach(p -> request(inOrder, CONN, 1, Op.GET_DATA, p));
    Collections.shuffle(paths, new Random(4));
    Digest shuffled = new Digest(small);
    paths.forEach(p -> request(shuffled, CONN, 1, Op.GET_DATA, p));
    assertThat(shuffled.snapshot().classes()).isEqualTo(inOrder.snapshot().classes());
  }

  @Test
  void distinctClientsAndSessionsAreCappedAndCounted() {
    Digest d = new Digest(new Digest.Limits(10, 5, 5, 10));
    for (int i = 0; i < 1000; i++) {
      ConnectionMeta c =
          new ConnectionMeta(i, "10.0." + (i / 250) + "." + (i % 250), 1, "z", 2181, 0, true);
      d.opened(c);
      ZkRequest r = new ZkRequest(1, Op.EXISTS, "/", RequestBody.None.INSTANCE, 30, 0, true);
      d.request(c, 1000 + i, r);
      d.closed(c, 1);
    }
    DigestSnapshot s = d.snapshot();
    assertThat(s.clientsByAddress()).hasSize(6); // 5 and {other}
    assertThat(s.clientsByAddress().get(Digest.OTHER).requests()).isEqualTo(995);
    assertThat(s.sessionsById()).hasSize(6);
    assertThat(s.requests()).isEqualTo(1000);
    // 1,000 distinct clients, estimated from the five smallest hashes: within a factor of two
    assertThat(s.clientsOverflowed()).isTrue();
    assertThat(s.clients()).isBetween(500L, 2000L);
  }

  @Test
  void distinctSessionsAreExactUnderTheSketchCapAndEstimatedPast() {
    Digest.Limits limits = new Digest.Limits(10, 10, 0, 10, 10, 1024, 10, 10, 10);
    Digest d = new Digest(limits);
    for (int i = 1; i <= 100_000; i++) {
      connect(d, 0x1000_0000L + i);
    }
    DigestSnapshot s = d.snapshot();
    assertThat(s.sessionIds().overflowed()).isTrue();
    // k = 1024: a relative error of about 3%; 15% is five standard deviations
    assertThat(s.sessions()).isBetween(85_000L, 115_000L);
    Digest few = new Digest(limits);
    for (int i = 1; i <= 1000; i++) {
      connect(few, i);
      connect(few, i);
    }
    assertThat(few.snapshot().sessions()).isEqualTo(1000);
  }

  @Test
  void topClientsListSixteenAndTheRestAsOther() {
    Digest d = new Digest();
    for (int i = 0; i < 40; i++) {
      ConnectionMeta c = new ConnectionMeta(i, "10.1.0." + i, 1, "z", 2181, 0, true);
      for (int k = 0; k < 40 - i; k++) {
        request(d, c, k, Op.GET_DATA, "/x");
      }
    }
    DigestSnapshot s = d.snapshot();
    var top = s.topClients(new ClassKey(Op.GET_DATA, "/x"));
    assertThat(top).hasSize(17);
    assertThat(top.get(0)).isEqualTo(Map.entry("10.1.0.0", 40L));
    assertThat(top.get(16).getKey()).isEqualTo(Digest.OTHER);
    assertThat(top.stream().mapToLong(Map.Entry::getValue).sum()).isEqualTo(820);
  }

  @Test
  void digestsOfTrafficSplitByConnectionMergeIntoTheDigestOfAllOfIt() {
    // given: random traffic with far more classes, clients, sessions, event patterns and decode
    // errors than the caps keep, recorded once whole and once split by connection over 1 to 5
    // digests (as replay splits connections over threads)
    Digest.Limits small = new Digest.Limits(50, 20, 20, 15, 60, 64, 5, 5, 40);
    assertSplitsMergeExactly(small);
  }

  @Test
  void identitiesAndTimelinesPastTheirCapsMergeExactly() {
    // given: caps on identities, buckets and classes per bucket far below what the traffic has,
    // so buckets widen while recording and classes fold into {other}
    Digest.Limits small =
        new Digest.Limits(50, 20, 20, 15, 60, 64, 5, 5, 40, 4, new Timeline.Spec(0, 7, 3));
    assertSplitsMergeExactly(small);
    // and a fixed bucket width that is not on the automatic ladder
    assertSplitsMergeExactly(small.withTimeline(new Timeline.Spec(300_000_000L, 9, 2)));
  }

  @Test
  void timelineCountsRequestsErrorsAndClassesPerBucket() {
    // given: 3 requests in the first 10 ms bucket, 1 failing in a later one
    Digest d = new Digest();
    long base = 1_700_000_000_000_000_000L;
    for (int i = 0; i < 3; i++) {
      ZkRequest r =
          new ZkRequest(i, Op.GET_DATA, "/a/" + i, RequestBody.None.INSTANCE, 30, base + i, true);
      d.request(CONN, 7, r);
      d.exchange(CONN, 7, r, new ZkReply(i, 1, 0, ReplyBody.None.INSTANCE, 20, base + 50, true));
    }
    ZkRequest late =
        new ZkRequest(9, Op.EXISTS, "/b", RequestBody.None.INSTANCE, 30, base + 95_000_000, true);
    d.request(CONN, 7, late);
    d.exchange(
        CONN,
        7,
        late,
        new ZkReply(
            9, 1, KeeperErrors.NONODE, ReplyBody.None.INSTANCE, 20, base + 96_000_000, true));
    // when
    Timeline t = d.snapshot().timeline();
    // then: 10 buckets of 10 ms, the empty ones between included
    assertThat(t.widthNanos()).isEqualTo(10_000_000L);
    List<Timeline.Bucket> b = t.buckets();
    assertThat(b).hasSize(10);
    assertThat(b.get(0).requests()).isEqualTo(3);
    assertThat(b.get(0).classes().keySet()).extracting(ClassKey::op).containsExactly(Op.GET_DATA);
    assertThat(b.get(5).isEmpty()).isTrue();
    assertThat(b.get(9).errors()).isEqualTo(1);
    assertThat(b.get(9).latency().max()).isBetween(990L, 1010L);
  }

  @Test
  void requestsAfterAnAuthCountUnderItsUserNeverItsPassword() {
    // given: a digest auth (the decoder keeps the user only), then two requests, one failing
    Digest d = new Digest();
    d.opened(CONN);
    ZkRequest auth =
        new ZkRequest(-4, Op.AUTH, null, new RequestBody.Auth(0, "digest", 11, "bob"), 40, 0, true);
    d.request(CONN, 7, auth);
    d.exchange(CONN, 7, auth, new ZkReply(-4, 0, 0, ReplyBody.None.INSTANCE, 16, 10, true));
    exchange(d, "/x", 0, 10);
    exchange(d, "/y", KeeperErrors.NOAUTH, 10);
    // when
    GroupStats bob = d.snapshot().identities().get("digest:bob");
    // then: the auth itself and both requests, on one connection
    assertThat(bob.requests()).isEqualTo(3);
    assertThat(bob.errorsByCode()).containsEntry(KeeperErrors.NOAUTH, 1L);
    assertThat(bob.connections()).isEqualTo(1);
  }

  private static void assertSplitsMergeExactly(Digest.Limits small) {
    List<Consumer<Digest>> traffic = randomTraffic(new Random(11), 20_000);
    Digest whole = new Digest(small);
    traffic.forEach(t -> t.accept(whole));
    DigestSnapshot wholeSnapshot = whole.snapshot();
    String expected = json(wholeSnapshot);
    Usage wholeUsage = wholeSnapshot.usage();
    assertThat(wholeUsage.polls()).isNotEmpty();
    assertThat(wholeUsage.herds()).isNotEmpty();
    assertThat(wholeUsage.large()).isNotEmpty();
    for (int parts = 1; parts <= 5; parts++) {
      Digest[] split = new Digest[parts];
      for (int i = 0; i < parts; i++) {
        split[i] = new Digest(small);
      }
      for (int i = 0; i < traffic.size(); i++) {
        traffic.get(i).accept(split[connectionOf(i) % parts]);
      }
      // when
      DigestSnapshot merged = DigestSnapshot.empty(small);
      for (Digest d : split) {
        merged = DigestSnapshot.merge(merged, d.snapshot(), small);
      }
      // then: the same report, byte for byte
      assertThat(json(merged)).as("merged from %d parts", parts).isEqualTo(expected);
      assertThat(merged.usage()).as("usage merged from %d parts", parts).isEqualTo(wholeUsage);
    }
    // and the report reads back into the same snapshot
    try {
      DigestSnapshot read =
          dev.zkdigest.report.JsonReportReader.read(new java.io.StringReader(expected)).snapshot();
      assertThat(json(read)).isEqualTo(expected);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // ---- helpers ----

  private static final int CONNECTIONS = 300;

  /** Event i belongs to connection i % CONNECTIONS (the split key). */
  private static int connectionOf(int i) {
    return i % CONNECTIONS;
  }

  private static List<Consumer<Digest>> randomTraffic(Random rnd, int n) {
    ConnectionMeta[] conns = new ConnectionMeta[CONNECTIONS];
    for (int c = 0; c < CONNECTIONS; c++) {
      conns[c] =
          new ConnectionMeta(c, "10.2." + (c % 7) + "." + (c * 13 % 97), 1, "s", 2181, 0, true);
    }
    Op[] ops = {Op.GET_DATA, Op.EXISTS, Op.CREATE, Op.SET_DATA, Op.GET_CHILDREN};
    int[] errs = {0, 0, 0, KeeperErrors.NONODE, -110, -103};
    List<Consumer<Digest>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ConnectionMeta c = conns[connectionOf(i)];
      long session = 0x100 + connectionOf(i) % 90;
      int kind = rnd.nextInt(20);
      // a few watched paths that events name and sessions read again (herds, polling)
      String path =
          kind == 0 || kind >= 17
              ? "/w/" + rnd.nextInt(3)
              : "/app/" + word(rnd) + "/" + word(rnd) + "-" + rnd.nextInt(5);
      Op op = ops[rnd.nextInt(ops.length)];
      int err = errs[rnd.nextInt(errs.length)];
      long t = 1_000_000L * i;
      long latency = 10 + rnd.nextInt(100_000);
      int xid = i;
      if (kind == 0) {
        out.add(d -> d.event(c, session, new WatchEvent(3, 3, path, 40, t)));
      } else if (kind == 1) {
        String reason = "reason " + rnd.nextInt(30);
        out.add(d -> d.decodeError(c, Direction.CLIENT_TO_SERVER, reason, t));
      } else if (kind == 2) {
        String server = "10.9.9." + rnd.nextInt(20) + ":2182";
        out.add(d -> d.ignored(server, 1, 100));
      } else if (kind == 3) {
        out.add(d -> connect(d, session));
      } else if (kind == 4) {
        String user = "user" + rnd.nextInt(12);
        out.add(
            d ->
                d.request(
                    c,
                    session,
                    new ZkRequest(
                        -4,
                        Op.AUTH,
                        null,
                        new RequestBody.Auth(0, "digest", 20, user),
                        60,
                        t,
                        true)));
      } else {
        out.add(
            d -> {
              RequestBody body =
                  op == Op.GET_DATA || op == Op.EXISTS
                      ? RequestBody.Watch.of(xid % 3 == 0)
                      : RequestBody.None.INSTANCE;
              // now and then a large frame, and a reply with many children
              int size = xid % 97 == 0 ? 300_000 : 40;
              ZkRequest r = new ZkRequest(xid, op, path, body, size, t, true);
              d.bytes(c, Direction.CLIENT_TO_SERVER, 40, t);
              d.request(c, session, r);
              d.exchange(
                  c,
                  session,
                  r,
                  new ZkReply(xid, 1, err, ReplyBody.None.INSTANCE, 30, t + latency * 1000, true));
            });
      }
    }
    return out;
  }

  /** A distinct name of letters only (digits would fold). */
  private static String letters(int i) {
    StringBuilder b = new StringBuilder();
    do {
      b.append((char) ('a' + i % 26));
      i /= 26;
    } while (i > 0);
    return b.toString();
  }

  private static String word(Random rnd) {
    char[] w = new char[2];
    for (int i = 0; i < w.length; i++) {
      w[i] = (char) ('g' + rnd.nextInt(12));
    }
    return new String(w);
  }

  private static void request(Digest d, ConnectionMeta c, int xid, Op op, String path) {
    d.request(c, 0, new ZkRequest(xid, op, path, RequestBody.None.INSTANCE, 30, 0, true));
  }

  private static void connect(Digest d, long sessionId) {
    ZkRequest r = new ZkRequest(0, Op.CONNECT, null, RequestBody.None.INSTANCE, 49, 0, true);
    d.exchange(
        CONN,
        0,
        r,
        new ZkReply(0, 0, 0, new ReplyBody.Connect(0, 30_000, sessionId, false), 37, 10, true));
  }

  private static String json(DigestSnapshot s) {
    StringWriter w = new StringWriter();
    JsonReport.render(
        s, new ReportOptions("test", List.of(), 10, GroupBy.PATTERN), new PrintWriter(w));
    return w.toString();
  }
}
