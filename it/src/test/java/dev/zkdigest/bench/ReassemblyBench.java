package dev.zkdigest.bench;

import dev.zkdigest.capture.CaptureFileReader;
import dev.zkdigest.capture.Packet;
import dev.zkdigest.capture.PacketDecoder;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.SyntheticCapture;
import dev.zkdigest.capture.TcpSegment;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

/**
 * Link/IP/TCP parsing, reassembly and protocol decoding per packet, over packets held in memory (a
 * synthetic capture of 200 sessions), with a listener that does nothing: the capture path without
 * the digest.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReassemblyBench {
  static final int PACKETS = 50_000;
  List<Packet> packets = new ArrayList<>();

  @Setup
  public void setup() throws Exception {
    Path f = Files.createTempFile("zkdigest-bench", ".pcap");
    SyntheticCapture.write(f, new SyntheticCapture.Options(40 << 20, 200, 7));
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      Packet p;
      while (packets.size() < PACKETS && (p = r.next()) != null) {
        byte[] copy = new byte[p.length()];
        System.arraycopy(p.data(), p.offset(), copy, 0, p.length());
        packets.add(new Packet(p.nanos(), p.linkType(), copy, 0, copy.length, p.originalLength()));
      }
    }
    Files.delete(f);
  }

  @Benchmark
  @OperationsPerInvocation(PACKETS)
  public long perPacket() {
    TcpTracker t =
        new TcpTracker(
            ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, new TrafficListener() {});
    TcpSegment seg = new TcpSegment();
    for (Packet p : packets) {
      if (PacketDecoder.decode(p, seg)) {
        t.segment(seg);
      }
    }
    t.finish();
    return t.segments();
  }
}
