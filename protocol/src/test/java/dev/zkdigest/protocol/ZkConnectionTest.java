package dev.zkdigest.protocol;

import static dev.zkdigest.protocol.JuteOut.concat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ZkConnectionTest {
  private static final long SESSION = 0x1001113200f0001L;

  static Stream<Op> clientOps() {
    return Arrays.stream(Op.values()).filter(Op::isClientRequest);
  }

  private static void feedSplit(ZkConnection c, boolean client, byte[] b, int at, long nanos) {
    if (client) {
      c.fromClient(b, 0, at, nanos);
      c.fromClient(b, at, b.length - at, nanos);
    } else {
      c.fromServer(b, 0, at, nanos);
      c.fromServer(b, at, b.length - at, nanos);
    }
  }

  @ParameterizedTest
  @MethodSource("clientOps")
  void decodesEveryOpcodeAndItsReplySplitAtEveryOffset(Op op) {
    byte[] client = concat(JuteOut.connectRequest(0, true), Samples.request(op));
    byte[] server = concat(JuteOut.connectResponse(SESSION, true), Samples.reply(op));
    for (int at = 0; at <= Math.max(client.length, server.length); at++) {
      // given
      RecordingListener l = new RecordingListener();
      ZkConnection c = new ZkConnection(RecordingListener.meta(true), ProtocolConfig.DEFAULTS, l);
      // when
      feedSplit(c, true, client, Math.min(at, client.length), 1_000);
      feedSplit(c, false, server, Math.min(at, server.length), 2_000);
      c.close(3_000);
      // then
      assertThat(l.decodeErrors).as("split at %d", at).isEmpty();
      assertThat(l.requestOps()).containsExactly(Op.CONNECT, op);
      ZkRequest req = l.requests.get(1);
      assertThat(req.xid()).isEqualTo(Samples.xidFor(op));
      assertThat(req.frameBytes()).isEqualTo(Samples.request(op).length);
      assertThat(l.replies).hasSize(2);
      assertThat(l.replies.get(1).err()).isZero();
      assertThat(l.replies.get(1).frameBytes()).isEqualTo(Samples.reply(op).length);
      assertThat(l.sessionAtLastExchange).isEqualTo(SESSION);
      assertThat(l.unmatched).isEmpty();
      assertThat(l.pending).isEmpty();
      assertThat(c.sessionId()).isEqualTo(SESSION);
    }
  }

  @Test
  void decodesPathsAndBodiesOfRequests() {
    RecordingListener l =
        feedRequests(Op.CREATE_TTL, Op.GET_DATA, Op.MULTI, Op.SET_WATCHES2, Op.AUTH, Op.RECONFIG);
    assertThat(l.requests.get(1).path()).isEqualTo(Samples.PATH);
    assertThat(l.requests.get(1).body()).isEqualTo(new RequestBody.Create(5, 1, 5, 60_000));
    assertThat(l.requests.get(2).body()).isEqualTo(new RequestBody.Watch(true));
    assertThat(l.requests.get(3).body())
        .isEqualTo(
            new RequestBody.Multi(
                List.of(
                    new RequestBody.SubOp(Op.CREATE, Samples.PATH),
                    new RequestBody.SubOp(Op.SET_DATA, Samples.PATH),
                    new RequestBody.SubOp(Op.CHECK, Samples.PATH),
                    new RequestBody.SubOp(Op.DELETE, Samples.PATH))));
    assertThat(((RequestBody.SetWatches) l.requests.get(4).body()).total()).isEqualTo(3);
    assertThat(l.requests.get(5).body()).isEqualTo(new RequestBody.Auth(0, "digest", 12, "tacos"));
    assertThat(l.requests.get(6).body())
        .isEqualTo(new RequestBody.Reconfig("server.4=h:2888:3888", null, null, -1));
  }

  @Test
  void decodesMultiReadResultsWithAFailedSubOp() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    c.fromClient(Samples.request(Op.MULTI_READ), 0, Samples.request(Op.MULTI_READ).length, 10);
    byte[] reply = Samples.reply(Op.MULTI_READ);
    c.fromServer(reply, 0, reply.length, 20);
    assertThat(l.replies.get(1).body())
        .isEqualTo(
            new ReplyBody.Multi(
                List.of(
                    new ReplyBody.SubResult(Op.GET_DATA, 0),
                    new ReplyBody.SubResult(Op.ERROR, KeeperErrors.NONODE))));
  }

  @Test
  void handshakeWithoutReadOnlyByteIsRecognised() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = new ZkConnection(RecordingListener.meta(true), ProtocolConfig.DEFAULTS, l);
    byte[] req = JuteOut.connectRequest(0, false);
    byte[] resp = JuteOut.connectResponse(SESSION, false);
    c.fromClient(req, 0, req.length, 1);
    c.fromServer(resp, 0, resp.length, 2);
    assertThat(l.requests.get(0).body()).isEqualTo(new RequestBody.Connect(0, 0, 30_000, 0, null));
    assertThat(l.replies.get(0).body()).isEqualTo(new ReplyBody.Connect(0, 30_000, SESSION, null));
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void refusedSessionCountsAsSessionExpired() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = new ZkConnection(RecordingListener.meta(true), ProtocolConfig.DEFAULTS, l);
    byte[] req = JuteOut.connectRequest(SESSION, true);
    byte[] resp = JuteOut.connectResponse(0, true);
    c.fromClient(req, 0, req.length, 1);
    c.fromServer(resp, 0, resp.length, 2);
    assertThat(l.replies.get(0).err()).isEqualTo(KeeperErrors.SESSIONEXPIRED);
  }

  @Test
  void requestsWithXidZeroOrOneAfterTheHandshakeAreNotReconnects() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    for (int xid : new int[] {0, 1}) {
      byte[] f = JuteOut.request(xid, Op.EXISTS).str("/a").bool(false).frame();
      c.fromClient(f, 0, f.length, 10);
    }
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.EXISTS, Op.EXISTS);
  }

  @Test
  void pipelinedControlXidsAreMatchedFirstInFirstOut() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] ping = Samples.request(Op.PING);
    c.fromClient(ping, 0, ping.length, 100);
    c.fromClient(ping, 0, ping.length, 200);
    byte[] pong = Samples.reply(Op.PING);
    c.fromServer(pong, 0, pong.length, 300);
    c.fromServer(pong, 0, pong.length, 400);
    assertThat(l.exchangeRequests.get(1)[0].timeNanos()).isEqualTo(100);
    assertThat(l.exchangeRequests.get(2)[0].timeNanos()).isEqualTo(200);
    assertThat(l.replies.get(1).timeNanos() - l.exchangeRequests.get(1)[0].timeNanos())
        .isEqualTo(200);
  }

  @Test
  void replyWithoutItsRequestIsUnmatchedNotGuessed() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] r = JuteOut.reply(55, 1, 0).stat().frame();
    c.fromServer(r, 0, r.length, 10);
    assertThat(l.unmatched).hasSize(1);
    assertThat(l.replies).hasSize(1); // just the handshake
  }

  @Test
  void watchEventIsDecodedAndOneSegmentMayCarryAnEventAndAReply() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] req = Samples.request(Op.GET_DATA);
    c.fromClient(req, 0, req.length, 10);
    byte[] both =
        concat(
            JuteOut.reply(-1, -1, 0).i32(3).i32(3).str("/app/config").frame(),
            Samples.reply(Op.GET_DATA));
    c.fromServer(both, 0, both.length, 20);
    assertThat(l.events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.typeName()).isEqualTo("NodeDataChanged");
              assertThat(e.path()).isEqualTo("/app/config");
            });
    assertThat(l.replies).hasSize(2);
    assertThat(l.replies.get(1).body()).isEqualTo(new ReplyBody.Data(12));
  }

  @Test
  void fourLetterWordConnectionCountsTheCommandAndItsAnswer() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = new ZkConnection(RecordingListener.meta(true), ProtocolConfig.DEFAULTS, l);
    byte[] cmd = "mntr".getBytes();
    byte[] answer = "zk_version\t3.9.5\nzk_avg_latency\t0\n".getBytes();
    c.fromClient(cmd, 0, 2, 1);
    c.fromClient(cmd, 2, 2, 1);
    c.fromServer(answer, 0, answer.length, 2);
    c.close(3);
    assertThat(l.fourLetterWords).containsExactly("mntr");
    assertThat(l.fourLetterAnswerBytes).isEqualTo(answer.length);
    assertThat(l.requests).isEmpty();
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void frameOverTheCapIsADecodeErrorAndIsSkippedWithoutLosingSync() {
    RecordingListener l = new RecordingListener();
    ProtocolConfig small = ProtocolConfig.DEFAULTS.withMaxFrame(1024);
    ZkConnection c = new ZkConnection(RecordingListener.meta(true), small, l);
    byte[] hs = JuteOut.connectRequest(0, true);
    c.fromClient(hs, 0, hs.length, 1);
    byte[] big = JuteOut.request(2, Op.SET_DATA).str("/big").buf(new byte[5000]).i32(-1).frame();
    byte[] next = Samples.request(Op.EXISTS);
    byte[] all = concat(big, next);
    c.fromClient(all, 0, all.length, 2);
    assertThat(l.decodeErrors).singleElement().asString().contains("exceeds the frame cap");
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.EXISTS);
  }

  @Test
  void implausibleLengthLosesSyncUntilAPlausibleChunkStart() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 1, 2, 3, 4, 5};
    c.fromClient(garbage, 0, garbage.length, 10);
    byte[] junk = {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    c.fromClient(junk, 0, junk.length, 11);
    byte[] ok = Samples.request(Op.GET_CHILDREN);
    c.fromClient(ok, 0, ok.length, 12);
    assertThat(l.decodeErrors).singleElement().asString().contains("implausible frame length");
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.GET_CHILDREN);
    assertThat(l.skipped).isEqualTo(junk.length + garbage.length - 4);
  }

  @Test
  void unknownOpcodeIsADecodeErrorAndTheNextFrameStillDecodes() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] bad =
        concat(JuteOut.create().i32(3).i32(999).str("/x").frame(), Samples.request(Op.SYNC));
    c.fromClient(bad, 0, bad.length, 10);
    assertThat(l.decodeErrors).containsExactly("unknown request opcode 999");
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SYNC);
  }

  @Test
  void gapInsideAFrameStillCountsTheRequest() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] setData = JuteOut.request(9, Op.SET_DATA).str("/a").buf(new byte[400]).i32(1).frame();
    // The capture kept 30 bytes and lost the rest, then the next frame arrives whole.
    c.fromClient(setData, 0, 30, 10);
    c.clientGap(setData.length - 30, 10);
    byte[] next = Samples.request(Op.EXISTS);
    c.fromClient(next, 0, next.length, 11);
    assertThat(l.requestOps()).containsExactly(Op.CONNECT, Op.SET_DATA, Op.EXISTS);
    assertThat(l.requests.get(1).path()).isEqualTo("/a");
    assertThat(l.requests.get(1).complete()).isFalse();
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void joinsMidStreamAtAPlausibleFrameBoundary() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = new ZkConnection(RecordingListener.meta(false), ProtocolConfig.DEFAULTS, l);
    byte[] req = Samples.request(Op.GET_DATA);
    // The tail of a frame we never saw the start of, then whole frames.
    c.fromClient(req, 10, req.length - 10, 1);
    c.fromClient(req, 0, req.length, 2);
    byte[] tail = Samples.reply(Op.GET_DATA);
    c.fromServer(tail, 5, tail.length - 5, 3);
    c.fromServer(tail, 0, tail.length, 4);
    assertThat(l.requestOps()).containsExactly(Op.GET_DATA);
    assertThat(l.replies).hasSize(1);
    assertThat(l.decodeErrors).isEmpty();
  }

  @Test
  void saysWhetherEachDirectionIsSynced() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = new ZkConnection(RecordingListener.meta(false), ProtocolConfig.DEFAULTS, l);
    byte[] reply = Samples.reply(Op.GET_DATA);
    assertThat(c.synced(Direction.CLIENT_TO_SERVER)).isFalse();
    assertThat(c.synced(Direction.SERVER_TO_CLIENT)).isFalse();
    // A frame's length alone, then its body alone (how ZooKeeper's NIO code reads): no boundary.
    c.fromServer(reply, 0, 4, 1);
    c.fromServer(reply, 4, reply.length - 4, 2);
    assertThat(c.synced(Direction.SERVER_TO_CLIENT)).isFalse();
    // The same frame in one piece: found.
    c.fromServer(reply, 0, reply.length, 3);
    assertThat(c.synced(Direction.SERVER_TO_CLIENT)).isTrue();
    assertThat(c.synced(Direction.CLIENT_TO_SERVER)).isFalse();
    assertThat(
            new ZkConnection(
                    RecordingListener.meta(true), ProtocolConfig.DEFAULTS, new RecordingListener())
                .synced(Direction.CLIENT_TO_SERVER))
        .isTrue();
  }

  @Test
  void requestsLeftUnansweredAreReportedPendingAtClose() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    for (Op op : List.of(Op.PING, Op.AUTH, Op.GET_DATA)) {
      byte[] f = Samples.request(op);
      c.fromClient(f, 0, f.length, 5);
    }
    c.close(9);
    assertThat(l.pending)
        .extracting(ZkRequest::op)
        .containsExactlyInAnyOrder(Op.PING, Op.AUTH, Op.GET_DATA);
  }

  @Test
  void pendingRequestsPerConnectionAreBounded() {
    RecordingListener l = new RecordingListener();
    ZkConnection c =
        new ZkConnection(RecordingListener.meta(true), new ProtocolConfig(1 << 20, 1024, 10), l);
    byte[] hs = JuteOut.connectRequest(0, true);
    c.fromClient(hs, 0, hs.length, 1);
    for (int xid = 1; xid <= 50; xid++) {
      byte[] f = JuteOut.request(xid, Op.EXISTS).str("/a").bool(false).frame();
      c.fromClient(f, 0, f.length, xid);
    }
    assertThat(c.pendingCount()).isLessThanOrEqualTo(11);
    assertThat(l.pending).hasSize(40);
  }

  @Test
  void malformedRecordIsCountedAndDoesNotThrow() {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    byte[] f = JuteOut.request(3, Op.GET_DATA).i32(-7).frame(); // string length -7
    c.fromClient(f, 0, f.length, 1);
    assertThat(l.decodeErrors).containsExactly("malformed getData request");
  }

  private static ZkConnection connected(RecordingListener l) {
    ZkConnection c = new ZkConnection(RecordingListener.meta(true), ProtocolConfig.DEFAULTS, l);
    byte[] req = JuteOut.connectRequest(0, true);
    byte[] resp = JuteOut.connectResponse(SESSION, true);
    c.fromClient(req, 0, req.length, 1);
    c.fromServer(resp, 0, resp.length, 2);
    return c;
  }

  private static RecordingListener feedRequests(Op... ops) {
    RecordingListener l = new RecordingListener();
    ZkConnection c = connected(l);
    for (Op op : ops) {
      byte[] f = Samples.request(op);
      c.fromClient(f, 0, f.length, 10);
    }
    return l;
  }
}
