package dev.zkdigest.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.digest.Counter;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import org.junit.jupiter.api.Test;

class AsyncListenerTest {

  @Test
  void deliversEverythingInOrderAcrossManyBatches() {
    // given: the same traffic into a digest directly and through the async hand-off
    Digest direct = new Digest();
    Digest handedOff = new Digest();
    AsyncListener async = new AsyncListener(handedOff, "test-digest");
    for (TrafficListener l : new TrafficListener[] {direct, async}) {
      ZkConnection c = new ZkConnection(RecordingListener.meta(true), ProtocolConfig.DEFAULTS, l);
      byte[] hs = JuteOut.connectRequest(0, true);
      c.fromClient(hs, 0, hs.length, 1);
      byte[] hr = JuteOut.connectResponse(9, true);
      c.fromServer(hr, 0, hr.length, 2);
      for (int i = 0; i < 20_000; i++) { // several batches of 4,096 events
        byte[] req = Samples.request(Op.GET_DATA);
        byte[] rep = Samples.reply(Op.GET_DATA);
        c.fromClient(req, 0, 5, 10L * i);
        c.fromClient(req, 5, req.length - 5, 10L * i + 1); // two chunks: coalesced bytes
        c.fromServer(rep, 0, rep.length, 10L * i + 5);
      }
      c.close(1_000_000);
    }
    // when
    async.close();
    // then
    DigestSnapshot a = direct.snapshot();
    DigestSnapshot b = handedOff.snapshot();
    assertThat(b.requests()).isEqualTo(a.requests()).isEqualTo(20_001);
    assertThat(b.responses()).isEqualTo(a.responses());
    assertThat(b.counter(Counter.BYTES_FROM_CLIENTS))
        .isEqualTo(a.counter(Counter.BYTES_FROM_CLIENTS));
    assertThat(b.counter(Counter.BYTES_FROM_SERVERS))
        .isEqualTo(a.counter(Counter.BYTES_FROM_SERVERS));
    assertThat(b.lastNanos()).isEqualTo(a.lastNanos());
    assertThat(b.ops().get(Op.GET_DATA).latencySumUs())
        .isEqualTo(a.ops().get(Op.GET_DATA).latencySumUs());
    assertThat(b.counter(Counter.OPEN_CONNECTIONS)).isZero();
  }

  @Test
  void aFailingConsumerIsReportedAtCloseAndNeverBlocksTheProducer() {
    AsyncListener async =
        new AsyncListener(
            new TrafficListener() {
              @Override
              public void opened(ConnectionMeta c) {
                throw new IllegalStateException("boom");
              }
            },
            "test-failing");
    for (int i = 0; i < 50_000; i++) {
      async.opened(RecordingListener.meta(true));
    }
    assertThatThrownBy(async::close).hasMessage("boom");
  }
}
