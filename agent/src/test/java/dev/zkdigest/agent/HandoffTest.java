package dev.zkdigest.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HandoffTest {
  /** A record as the consumer saw it. */
  record Seen(int type, long connection, long nanos, long offset, byte[] payload) {}

  static List<Seen> drain(Handoff h) {
    List<Seen> seen = new ArrayList<>();
    while (h.poll(
            (type, conn, nanos, off, buf, at, len) ->
                seen.add(new Seen(type, conn, nanos, off, Arrays.copyOfRange(buf, at, at + len))),
            1 << 20)
        > 0) {
      // until nothing is left
    }
    return seen;
  }

  static ByteBuffer bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed + i);
    }
    return ByteBuffer.wrap(b);
  }

  @Test
  void handsOverRecordsInOrderWithTheirBytesAndHeaders() {
    Handoff h = new Handoff(Handoff.HEADER * 64);
    ByteBuffer src = bytes(100, 7);
    assertThat(h.offer(Handoff.FROM_CLIENT, 3, 111, 0, src, 10, 50)).isTrue();
    assertThat(h.offer(Handoff.CLOSED, 3, 222)).isTrue();
    assertThat(src.position()).isZero(); // the application's buffer is left as it was
    List<Seen> seen = drain(h);
    assertThat(seen).hasSize(2);
    assertThat(seen.get(0).type()).isEqualTo(Handoff.FROM_CLIENT);
    assertThat(seen.get(0).connection()).isEqualTo(3);
    assertThat(seen.get(0).nanos()).isEqualTo(111);
    assertThat(seen.get(0).payload()).isEqualTo(Arrays.copyOfRange(src.array(), 10, 60));
    assertThat(seen.get(1).type()).isEqualTo(Handoff.CLOSED);
    assertThat(seen.get(1).payload()).isEmpty();
    assertThat(h.isEmpty()).isTrue();
  }

  @Test
  void dropsAndCountsWhenFullWithoutWaiting() {
    Handoff h = new Handoff(1024);
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (h.offer(Handoff.FROM_SERVER, 1, i, i * 100L, bytes(100, i), 0, 100)) {
        accepted++;
      }
    }
    assertThat(accepted).isBetween(1, 99);
    assertThat(h.droppedBytes()).isEqualTo((100L - accepted) * 100);
    assertThat(h.droppedRecords()).isEqualTo(100L - accepted);
    assertThat(drain(h)).hasSize(accepted);
    // room again once read
    assertThat(h.offer(Handoff.FROM_SERVER, 1, 0, 0, bytes(100, 0), 0, 100)).isTrue();
  }

  @Test
  void dropsARecordLargerThanHalfTheRingWhole() {
    Handoff h = new Handoff(4096);
    assertThat(h.offer(Handoff.FROM_CLIENT, 1, 0, 0, bytes(3000, 0), 0, 3000)).isFalse();
    assertThat(h.droppedBytes()).isEqualTo(3000);
    assertThat(h.offer(Handoff.FROM_CLIENT, 1, 0, 0, bytes(h.maxPayload(), 0), 0, h.maxPayload()))
        .isTrue();
  }

  @Test
  void wrapsAroundTheEndOfTheRingManyTimes() {
    Handoff h = new Handoff(1024);
    long offset = 0;
    for (int round = 0; round < 1000; round++) {
      int len = 1 + (round * 37) % 200; // lengths that land records everywhere in the ring
      assertThat(h.offer(Handoff.FROM_CLIENT, 9, round, offset, bytes(len, round), 0, len))
          .as("round %d", round)
          .isTrue();
      List<Seen> seen = drain(h);
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).offset()).isEqualTo(offset);
      assertThat(seen.get(0).payload()).isEqualTo(bytes(len, round).array());
      offset += len;
    }
  }

  @Test
  void keepsEachProducersRecordsInOrderUnderContention() throws Exception {
    // given several threads offering numbered records while one thread reads
    Handoff h = new Handoff(64 << 10);
    int producers = 4;
    int perProducer = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    AtomicLong offered = new AtomicLong();
    for (int p = 0; p < producers; p++) {
      int id = p;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < perProducer; i++) {
                  int len = 1 + i % 97;
                  ByteBuffer b = bytes(len, i);
                  if (h.offer(Handoff.FROM_CLIENT, id, i, i, b, 0, len)) {
                    offered.incrementAndGet();
                  }
                }
              });
      t.start();
      threads.add(t);
    }
    long[] lastSeen = new long[producers];
    Arrays.fill(lastSeen, -1);
    long[] received = new long[1];
    start.countDown();
    Handoff.Reader check =
        (type, conn, nanos, off, buf, at, len) -> {
          // then each producer's records come in the order it offered them, intact
          assertThat(off).isGreaterThan(lastSeen[(int) conn]);
          lastSeen[(int) conn] = off;
          assertThat(len).isEqualTo(1 + (int) (off % 97));
          assertThat(Arrays.copyOfRange(buf, at, at + len))
              .isEqualTo(bytes(len, (int) off).array());
          received[0]++;
        };
    while (threads.stream().anyMatch(Thread::isAlive) || !h.isEmpty()) {
      h.poll(check, 4096);
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(received[0]).isEqualTo(offered.get());
    assertThat(received[0] + h.droppedRecords()).isEqualTo((long) producers * perProducer);
  }
}
