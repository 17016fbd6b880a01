package dev.zkdigest.bench;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.quorum.QuorumListener;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.quorum.ZabConnection;
import dev.zkdigest.quorum.ZabPacket;
import dev.zkdigest.quorum.ZabPhase;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ZAB decoding cost per write as a follower's connection carries it: the leader's PROPOSAL (a
 * create of 64 bytes) and COMMIT, the follower's ACK, with ACK and COMMIT matched to the proposal;
 * without and with the quorum digest.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QuorumDecodeBench {
  static final int WRITES = 1000;
  static final int CHUNK = 16 * 1024;
  private static final long EPOCH = 0x500000000L;

  byte[] leader;
  byte[] learner;
  Blackhole hole;

  private static byte[] packet(int type, long zxid, byte[] data) {
    JuteOut p = JuteOut.create().i32(type).i64(zxid).buf(data).i32(-1);
    return p.body();
  }

  @Setup
  public void setup(Blackhole bh) {
    ByteArrayOutputStream l = new ByteArrayOutputStream();
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    for (int i = 1; i <= WRITES; i++) {
      byte[] txn =
          JuteOut.create()
              .i64(0x1001df405af0000L)
              .i32(i)
              .i64(EPOCH + i)
              .i64(1_700_000_000_000L)
              .i32(1)
              .str("/app/items/item-" + i)
              .buf(new byte[64])
              .i32(0)
              .bool(false)
              .i32(0)
              .body();
      l.writeBytes(packet(2, EPOCH + i, txn));
      f.writeBytes(packet(3, EPOCH + i, null));
      l.writeBytes(packet(4, EPOCH + i, null));
    }
    leader = l.toByteArray();
    learner = f.toByteArray();
    hole = bh;
  }

  private void feed(QuorumListener listener) {
    ZabConnection c =
        new ZabConnection(
            new ConnectionMeta(1, "10.0.0.2", 40000, "10.0.0.1", 2888, 0, false), listener);
    // Leader and follower in turn, 16 KiB at a time, as a capture delivers segments.
    int lo = 0;
    int fo = 0;
    long t = 1;
    while (lo < leader.length || fo < learner.length) {
      int n = Math.min(CHUNK, leader.length - lo);
      c.fromServer(leader, lo, n, t++);
      lo += n;
      int m = Math.min(CHUNK / 4, learner.length - fo);
      c.fromClient(learner, fo, m, t++);
      fo += m;
    }
    c.close(t);
  }

  @Benchmark
  @OperationsPerInvocation(WRITES)
  public void decodeAndMatch() {
    feed(
        new QuorumListener() {
          @Override
          public void zab(
              ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket p) {
            hole.consume(p);
          }

          @Override
          public void proposalAcked(
              ConnectionMeta conn, long learnerSid, long zxid, long proposed, long acked) {
            hole.consume(acked);
          }
        });
  }

  @Benchmark
  @OperationsPerInvocation(WRITES)
  public void decodeMatchAndDigest() {
    QuorumRecorder r = new QuorumRecorder();
    feed(r);
    hole.consume(r);
  }
}
