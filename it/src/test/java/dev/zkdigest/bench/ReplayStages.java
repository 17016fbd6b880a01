package dev.zkdigest.bench;

import dev.zkdigest.capture.CaptureFileReader;
import dev.zkdigest.capture.Packet;
import dev.zkdigest.capture.PacketDecoder;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpSegment;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.Recorder;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.AsyncListener;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.protocol.TrafficListener;
import java.nio.file.Path;
import java.util.List;

/**
 * Replay split by stage, in one JVM, cold (first run) and warm (later runs): where the time of a
 * replay goes once JVM start-up is out of the picture. Not a JMH benchmark: a whole file per run.
 *
 * <pre>benchmarks/replay-stages.sh FILE [RUNS] [STAGE...]</pre>
 *
 * Stages: read (capture records only), parse (+ link/IP/TCP headers), decode (+ reassembly and the
 * protocol core, a listener that does nothing), digest (+ the digest on the same thread), async (+
 * the digest on its own thread), shardsN (the replay command's path: flows split between N threads,
 * one digest each, merged).
 */
public final class ReplayStages {
  private ReplayStages() {}

  /**
   * Heap per tracked connection: {@code N} sessions opened (handshake and a few requests each)
   * through a tracker and a digest that are kept, then the heap measured after a full GC.
   */
  static void connectionFootprint(int n) throws Exception {
    Path f = java.nio.file.Files.createTempFile("zkdigest-conns", ".pcap");
    dev.zkdigest.capture.SyntheticCapture.write(
        f, new dev.zkdigest.capture.SyntheticCapture.Options(n * 300L, n, 1));
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    Digest digest = new Digest();
    TcpTracker tracker =
        new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, digest, n + 1);
    TcpSegment seg = new TcpSegment();
    try (CaptureFileReader r = CaptureFileReader.open(f)) {
      Packet p;
      int fins = 0;
      while ((p = r.next()) != null) {
        // Stop before the sessions close: the generator closes them all at the end.
        if (PacketDecoder.decode(p, seg)) {
          if (seg.has(dev.zkdigest.capture.TcpSegment.FIN) && ++fins > 0) {
            break;
          }
          tracker.segment(seg);
        }
      }
    }
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    System.out.printf(
        "%,d connections open: %,d bytes of heap each (tracker, protocol state, digest)%n",
        tracker.openConnections(), (after - before) / Math.max(1, tracker.openConnections()));
    java.nio.file.Files.delete(f);
    if (digest.snapshot().requests() < 0) {
      throw new IllegalStateException(); // keep the digest reachable until here
    }
  }

  public static void main(String[] args) throws Exception {
    if (args[0].equals("conns")) {
      connectionFootprint(Integer.parseInt(args[1]));
      return;
    }
    Path file = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> stages =
        args.length > 2
            ? List.of(args).subList(2, args.length)
            : List.of("read", "parse", "decode", "digest", "async");
    for (String stage : stages) {
      StringBuilder line = new StringBuilder(String.format("%-8s", stage));
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        long n = run(stage, file);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        line.append(String.format(" %6d ms", ms));
        if (i == runs - 1) {
          line.append(String.format("  (%,d)", n));
        }
      }
      System.out.println(line);
    }
  }

  static long run(String stage, Path file) throws Exception {
    if (stage.startsWith("shards")) {
      int n = Integer.parseInt(stage.substring("shards".length()));
      // As the replay command wires it: a recorder per shard, merged at the end.
      Recording recording = new Recording(Digest.Limits.DEFAULTS);
      List<TcpTracker> trackers = new java.util.ArrayList<>();
      for (int i = 0; i < n; i++) {
        trackers.add(
            new TcpTracker(
                    ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, recording.newRecorder())
                .connectionIds(i + 1, n));
      }
      dev.zkdigest.capture.CaptureReplay.run(List.of(file), trackers);
      return recording.total().requests();
    }
    TrafficListener listener;
    Digest digest = new Digest();
    Recording recording = new Recording(Digest.Limits.DEFAULTS);
    Recorder recorder = recording.newRecorder();
    AsyncListener async = null;
    switch (stage) {
      case "digest" -> listener = digest;
      case "recorder" -> listener = recorder;
      case "async" -> listener = async = new AsyncListener(digest, "digest");
      default -> listener = new TrafficListener() {};
    }
    ProtocolConfig config = ProtocolConfig.DEFAULTS;
    String retain = System.getProperty("retain");
    if (retain != null) {
      config = new ProtocolConfig(config.maxFrame(), Integer.parseInt(retain), config.maxPending());
    }
    TcpTracker tracker = new TcpTracker(ServerMatcher.ports(2181), config, listener);
    TcpSegment seg = new TcpSegment();
    long n = 0;
    try (CaptureFileReader r = CaptureFileReader.open(file)) {
      Packet p;
      while ((p = r.next()) != null) {
        n++;
        if (stage.equals("read")) {
          continue;
        }
        if (PacketDecoder.decode(p, seg) && !stage.equals("parse")) {
          tracker.segment(seg);
        }
      }
    }
    tracker.finish();
    if (async != null) {
      async.close();
    }
    return switch (stage) {
      case "digest", "async" -> digest.snapshot().requests();
      case "recorder" -> recording.total().requests();
      default -> n;
    };
  }
}
