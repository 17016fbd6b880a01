package dev.zkdigest.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays capture files through {@link TcpTracker}s as one timeline: packets from several files are
 * merged by timestamp, each file open only while the merge is in it ({@link CaptureFiles}).
 *
 * <p>With several shards, the TCP flows are split between threads by a hash of their four-tuple
 * that is the same in both directions: every shard reads every packet (from chunks the files are
 * read into once, see {@link SharedChunks}) but reassembles, decodes and digests only its own
 * flows. No event crosses between cores, which measured faster than handing decoded events from one
 * decoding thread to one digesting thread (BENCHMARKS.md).
 */
public final class CaptureReplay {

  /** What reading the files came to. */
  public record Result(
      long packets, long tcpSegments, long otherPackets, long evicted, List<String> warnings) {}

  /** Chunks in flight per file: enough for the shards to drift apart a little. */
  private static final int RING = 8;

  private CaptureReplay() {}

  /** One thread, one tracker. */
  public static Result run(List<Path> files, TcpTracker tracker) throws CaptureException {
    return run(files, List.of(tracker));
  }

  /**
   * Replays with the flows split between threads, one per tracker; the first runs on the caller's.
   */
  public static Result run(List<Path> files, List<TcpTracker> trackers) throws CaptureException {
    return run(files, trackers, null);
  }

  /**
   * Replays with the client flows split between threads, and every quorum flow (between servers) in
   * {@code quorum} on the first thread, since an election is only understood from all its votes
   * together. Null {@code quorum}: client traffic only.
   */
  public static Result run(List<Path> files, List<TcpTracker> trackers, QuorumTracker quorum)
      throws CaptureException {
    return run(files, trackers, quorum, null);
  }

  /** As {@link #run(List, List, QuorumTracker)}, telling {@code progress} (or null) how far. */
  public static Result run(
      List<Path> files, List<TcpTracker> trackers, QuorumTracker quorum, ReplayProgress progress)
      throws CaptureException {
    CaptureFiles captures =
        new CaptureFiles(files, trackers.size(), CaptureFileReader.CHUNK, RING, progress);
    return run(
        files.stream().map(Path::toString).toList(), captures::reader, trackers, quorum, progress);
  }

  /**
   * As {@link #run(List, List, QuorumTracker)}, from one capture being written to a pipe ({@code
   * tcpdump -w -}): each read takes what the writer has written so far, so packets are decoded as
   * they come.
   */
  public static Result run(
      String name, InputStream pipe, List<TcpTracker> trackers, QuorumTracker quorum)
      throws CaptureException {
    SharedChunks input =
        new SharedChunks(
            CaptureFileReader.partialReads(pipe),
            name,
            trackers.size(),
            CaptureFileReader.CHUNK,
            RING);
    return run(
        List.of(name),
        shard -> CaptureFileReader.open(name, input.cursor(shard)),
        trackers,
        quorum,
        null);
  }

  /** Opens one shard's packets: all of them, that shard decoding its own flows only. */
  private interface Input {
    PacketSource open(int shard) throws CaptureException;
  }

  private static Result run(
      List<String> files,
      Input inputs,
      List<TcpTracker> trackers,
      QuorumTracker quorum,
      ReplayProgress progress)
      throws CaptureException {
    int shards = trackers.size();
    Shard[] all = new Shard[shards];
    for (int i = 0; i < shards; i++) {
      QuorumTracker claims = quorum == null || i == 0 ? quorum : quorum.twin();
      all[i] = new Shard(i, shards, files, inputs, trackers.get(i), claims);
    }
    // Every shard reads every packet: the first one's count is the replay's.
    all[0].progress = progress;
    List<Thread> threads = new ArrayList<>();
    for (int i = 1; i < shards; i++) {
      Thread t = new Thread(all[i], "zkdigest-shard-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
    all[0].run();
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CaptureException("interrupted");
      }
    }
    // Every shard read the same packets, so shard 0 speaks for the files; a failure that is not
    // about the files (a bug) is thrown from whichever shard had it.
    for (Shard s : all) {
      if (s.failure instanceof RuntimeException r) {
        throw r;
      }
      if (s.failure instanceof Error e) {
        throw e;
      }
    }
    if (all[0].failure instanceof CaptureException e) {
      throw e;
    }
    long segments = 0;
    long evicted = 0;
    for (Shard s : all) {
      segments += s.tracker.segments();
      evicted += s.tracker.evicted();
    }
    Result first = all[0].result;
    return new Result(first.packets(), segments, first.otherPackets(), evicted, first.warnings());
  }

  /** One thread's share of the flows. */
  private static final class Shard implements Runnable {
    final int index;
    final int shards;
    final List<String> files;
    final Input inputs;
    final TcpTracker tracker;
    final QuorumTracker quorum;
    ReplayProgress progress;
    Result result;
    Throwable failure;

    Shard(
        int index,
        int shards,
        List<String> files,
        Input inputs,
        TcpTracker tracker,
        QuorumTracker quorum) {
      this.index = index;
      this.shards = shards;
      this.files = files;
      this.inputs = inputs;
      this.tracker = tracker;
      this.quorum = quorum;
    }

    @Override
    public void run() {
      PacketSource source = null;
      try {
        source = inputs.open(index);
        result = runSources(List.of(source), tracker, index, shards, quorum, progress);
      } catch (CaptureException | RuntimeException | Error e) {
        failure = e;
      } finally {
        if (source != null) {
          closeQuietly(source);
        }
      }
    }
  }

  /** Every packet of {@code sources}, in time order, into {@code tracker}. */
  public static Result runSources(List<PacketSource> sources, TcpTracker tracker)
      throws CaptureException {
    return runSources(sources, tracker, 0, 1, null, null);
  }

  /**
   * @param quorum takes quorum flows first (decoding them on the first shard only, claiming the
   *     same flows on the others), or null
   */
  private static Result runSources(
      List<PacketSource> sources,
      TcpTracker tracker,
      int shard,
      int shards,
      QuorumTracker quorum,
      ReplayProgress progress)
      throws CaptureException {
    int n = sources.size();
    Packet[] head = new Packet[n];
    for (int i = 0; i < n; i++) {
      head[i] = sources.get(i).next();
    }
    TcpSegment seg = new TcpSegment();
    long packets = 0;
    long other = 0;
    while (true) {
      int pick = -1;
      for (int i = 0; i < n; i++) {
        if (head[i] != null && (pick < 0 || head[i].nanos() < head[pick].nanos())) {
          pick = i;
        }
      }
      if (pick < 0) {
        break;
      }
      Packet p = head[pick];
      if (!PacketDecoder.supportsLinkType(p.linkType())) {
        throw new CaptureException(
            sources.get(pick).name()
                + ": link type "
                + p.linkType()
                + " is not supported (Ethernet, Linux cooked v1/v2, BSD loopback and raw IP are)");
      }
      packets++;
      if (progress != null && (packets & (ReplayProgress.PUBLISH_EVERY - 1)) == 0) {
        progress.packets(packets);
      }
      if (PacketDecoder.decode(p, seg)) {
        boolean quorumFlow = quorum != null && quorum.offer(seg);
        if (!quorumFlow && (shards == 1 || shardOf(seg, shards) == shard)) {
          tracker.segment(seg);
        } else {
          tracker.observe(seg);
        }
      } else {
        other++;
      }
      head[pick] = sources.get(pick).next();
    }
    tracker.finish();
    if (quorum != null) {
      quorum.finish();
    }
    List<String> warnings = new ArrayList<>();
    for (PacketSource s : sources) {
      warnings.addAll(s.warnings());
    }
    return new Result(packets, tracker.segments(), other, tracker.evicted(), warnings);
  }

  /** The shard of a segment's flow: the same for both directions of a connection. */
  static int shardOf(TcpSegment s, int shards) {
    long a = (s.srcHi ^ s.srcLo) * 0x9E3779B97F4A7C15L + s.srcPort;
    long b = (s.dstHi ^ s.dstLo) * 0x9E3779B97F4A7C15L + s.dstPort;
    long h = (a + b) * 0xC2B2AE3D27D4EB4FL;
    // Multiply-shift range reduction: the top 32 bits of the hash scaled to [0, shards), no divide.
    return (int) (((h >>> 32) * shards) >>> 32);
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // read-only
    }
  }
}
