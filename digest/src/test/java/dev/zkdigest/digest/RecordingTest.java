package dev.zkdigest.digest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RecordingTest {
  private static final int WRITERS = 3;
  private static final int EXCHANGES = 200_000;

  @Test
  void intervalsFlippedUnderConcurrentWritersLoseNothingAndCountNothingTwice() throws Exception {
    // given: three feeding threads, each with its own recorder, and a reader flipping intervals
    Recording recording = new Recording(Digest.Limits.DEFAULTS, true);
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      Recorder r = recording.newRecorder();
      ConnectionMeta conn = new ConnectionMeta(w, "10.0.0." + w, 1, "z", 2181, 0, true);
      Thread t =
          new Thread(
              () -> {
                awaitQuietly(start);
                r.opened(conn);
                for (int i = 0; i < EXCHANGES; i++) {
                  ZkRequest q =
                      new ZkRequest(
                          i,
                          Op.GET_DATA,
                          "/app/k" + (i % 7),
                          RequestBody.None.INSTANCE,
                          40,
                          i,
                          true);
                  r.bytes(conn, Direction.CLIENT_TO_SERVER, 40, i);
                  r.request(conn, 5, q);
                  r.exchange(
                      conn,
                      5,
                      q,
                      new ZkReply(
                          i,
                          1,
                          i % 10 == 0 ? -101 : 0,
                          ReplyBody.None.INSTANCE,
                          30,
                          i + 1000,
                          true));
                }
                r.closed(conn, EXCHANGES);
              });
      writers.add(t);
      t.start();
    }
    AtomicBoolean done = new AtomicBoolean();
    List<DigestSnapshot> intervals = new ArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                intervals.add(recording.interval());
              }
            });
    // when
    reader.start();
    start.countDown();
    for (Thread t : writers) {
      t.join();
    }
    done.set(true);
    reader.join();
    intervals.add(recording.interval());
    // then: the intervals add up to exactly what was written, and so does the total
    long requests = 0;
    long responses = 0;
    long errors = 0;
    long latencies = 0;
    long bytes = 0;
    long connections = 0;
    for (DigestSnapshot s : intervals) {
      requests += s.requests();
      responses += s.responses();
      errors += s.errors();
      bytes += s.counter(Counter.BYTES_FROM_CLIENTS);
      connections += s.counter(Counter.OPEN_CONNECTIONS);
      GroupStats op = s.ops().get(Op.GET_DATA);
      latencies += op == null ? 0 : op.latency().count();
    }
    long all = (long) WRITERS * EXCHANGES;
    assertThat(intervals.size()).as("the reader flipped while writers wrote").isGreaterThan(2);
    assertThat(requests).isEqualTo(all);
    assertThat(responses).isEqualTo(all);
    assertThat(latencies).isEqualTo(all);
    assertThat(errors).isEqualTo(all / 10);
    assertThat(bytes).isEqualTo(all * 40);
    assertThat(connections).isZero();
    DigestSnapshot total = recording.total();
    assertThat(total.requests()).isEqualTo(all);
    assertThat(total.ops().get(Op.GET_DATA).errors(-101)).isEqualTo(all / 10);
    assertThat(total.classes()).containsOnlyKeys(new ClassKey(Op.GET_DATA, "/app/k{n}"));
  }

  private static void awaitQuietly(CountDownLatch l) {
    try {
      l.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
