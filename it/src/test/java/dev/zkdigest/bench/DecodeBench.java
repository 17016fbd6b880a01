package dev.zkdigest.bench;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.JuteOut;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.Samples;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.ZkConnection;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** Protocol core cost per request-and-reply pair, by opcode (no digest: a counting listener). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecodeBench {
  static final int FRAMES = 1000;

  @Param({"getData", "setData", "create2", "getChildren2", "multi", "ping"})
  String op;

  byte[] client;
  byte[] server;
  Blackhole hole;

  @Setup
  public void setup(Blackhole bh) {
    Op o = Op.byName(op);
    ByteArrayOutputStream c = new ByteArrayOutputStream();
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    for (int i = 0; i < FRAMES; i++) {
      c.writeBytes(Samples.request(o));
      s.writeBytes(Samples.reply(o));
    }
    client = c.toByteArray();
    server = s.toByteArray();
    hole = bh;
  }

  @Benchmark
  @OperationsPerInvocation(FRAMES)
  public void decodeRequestAndReply() {
    TrafficListener l =
        new TrafficListener() {
          @Override
          public void exchange(
              ConnectionMeta conn,
              long sessionId,
              dev.zkdigest.protocol.ZkRequest r,
              dev.zkdigest.protocol.ZkReply reply) {
            hole.consume(reply);
          }
        };
    ZkConnection zk =
        new ZkConnection(
            new ConnectionMeta(1, "10.0.0.1", 1, "10.0.0.2", 2181, 0, true),
            ProtocolConfig.DEFAULTS,
            l);
    byte[] hs = JuteOut.connectRequest(0, true);
    zk.fromClient(hs, 0, hs.length, 1);
    byte[] hr = JuteOut.connectResponse(9, true);
    zk.fromServer(hr, 0, hr.length, 2);
    // Interleave in 16 KiB chunks, as a socket or a capture would deliver them.
    for (int off = 0; off < client.length || off < server.length; off += 16384) {
      if (off < client.length) {
        zk.fromClient(client, off, Math.min(16384, client.length - off), off);
      }
      if (off < server.length) {
        zk.fromServer(server, off, Math.min(16384, server.length - off), off + 1);
      }
    }
  }
}
