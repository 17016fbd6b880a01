package dev.zkdigest.bench;

import dev.zkdigest.capture.CaptureReplay;
import dev.zkdigest.capture.QuorumMatcher;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.quorum.QuorumSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What quorum decoding adds to a replay, in one warm JVM: the same capture replayed (one thread)
 * with quorum flows decoded and digested, and with them left to the client tracker (which sees
 * their SYN and first bytes, finds no ZooKeeper handshake and drops them), alternately, so both see
 * the same machine. Prints each run (the decoding thread's CPU time, and wall time) and the CPU
 * medians' difference per quorum packet.
 *
 * <pre>benchmarks/quorum-replay-cost.sh FILE CLIENT_PORT QUORUM_PORT ELECTION_PORT [RUNS=7]</pre>
 */
public final class QuorumReplayCost {
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private QuorumReplayCost() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int client = Integer.parseInt(args[1]);
    QuorumMatcher ports =
        new QuorumMatcher(
            Set.of(Integer.parseInt(args[2])),
            Set.of(Integer.parseInt(args[3])),
            java.util.Map.of());
    int runs = args.length > 4 ? Integer.parseInt(args[4]) : 7;
    List<Long> with = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    long packets = 0;
    for (int i = 0; i < runs + 1; i++) {
      for (boolean quorum : new boolean[] {true, false}) {
        Digest digest = new Digest();
        TcpTracker tracker =
            new TcpTracker(ServerMatcher.ports(client), ProtocolConfig.DEFAULTS, digest);
        QuorumRecorder recorder = new QuorumRecorder();
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        CaptureReplay.run(
            List.of(file),
            List.of(tracker),
            quorum ? new QuorumTracker(ports, ServerMatcher.ports(client), recorder) : null);
        QuorumSnapshot s = recorder.snapshot();
        long wall = System.nanoTime() - t0;
        // The decoding thread's CPU time: on a shared machine far steadier than wall time.
        long ns = CPU.getCurrentThreadCpuTime() - c0;
        if (quorum) {
          packets = s.traffic().packetsTotal() + s.traffic().notifications();
        }
        if (i > 0) { // the first round warms the JIT
          (quorum ? with : without).add(ns);
        }
        System.out.printf(
            Locale.ROOT,
            "run %d %-14s %7.1f ms CPU, %7.1f ms wall%s%n",
            i,
            quorum ? "with quorum" : "without",
            ns / 1e6,
            wall / 1e6,
            i == 0 ? " (warm-up)" : "");
      }
    }
    long mWith = median(with);
    long mWithout = median(without);
    System.out.printf(
        Locale.ROOT,
        "CPU medians: with quorum %.1f ms, without %.1f ms (ratio %.3f); %d quorum packets and"
            + " notifications%s%n",
        mWith / 1e6,
        mWithout / 1e6,
        (double) mWith / mWithout,
        packets,
        packets == 0
            ? ""
            : String.format(
                Locale.ROOT,
                "; %.0f ns per quorum packet, %.2f M quorum packets/s",
                (double) (mWith - mWithout) / packets,
                packets / ((mWith - mWithout) / 1e9) / 1e6));
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
