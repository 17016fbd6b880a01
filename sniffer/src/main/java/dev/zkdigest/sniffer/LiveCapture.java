package dev.zkdigest.sniffer;

import com.sun.jna.Library;
import com.sun.jna.Native;
import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.CaptureReplay;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.TcpTracker;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live capture with libpcap (pcap4j), with no call into Java per packet: libpcap's own loop writes
 * each packet with {@code pcap_dump} (in C) to a FIFO, and the replay path reads that pcap stream
 * with its sharded decoders, as {@code tcpdump -w - | zkdigest replay -} would. A pipe does not
 * drop: when decoding falls behind, the capture thread waits in the write, the kernel's ring
 * ({@code --buffer-size}) fills, and the kernel counts what it drops. Measured against the
 * packet-by-packet {@link QueuedCapture} and a tcpdump child process in BENCHMARKS.md (live capture
 * rate).
 */
public final class LiveCapture implements LiveSource {
  private static final Logger LOG = LoggerFactory.getLogger(LiveCapture.class);

  /** libpcap's stdio buffer is written out at least this often, so low rates are not held back. */
  private static final long FLUSH_MS = 100;

  /** The C library's mkfifo: the JDK cannot make a FIFO. */
  private interface LibC extends Library {
    int mkfifo(String path, int mode);
  }

  /** Read and write for the owner only: the stream is the captured traffic. */
  private static final int FIFO_MODE = 0600;

  // Threads: the capture thread runs libpcap's loop, the flush thread flushes its buffer, the
  // decode thread is replay's first shard (the others and the reader are replay's own). The
  // fields below that stats() and close() read from other threads are volatile or atomic.
  private final PcapHandle handle;
  private final List<TcpTracker> trackers;
  private final Thread captureThread;
  private final Thread decodeThread;
  private final Thread flushThread;
  private final AtomicReference<PcapDumper> dumper = new AtomicReference<>();
  private volatile PcapStat lastStats;
  private volatile CaptureReplay.Result result;
  private volatile Throwable failure;
  private volatile boolean stopping;

  /** What to capture and how. {@code queueBytes} applies to {@link QueuedCapture} only. */
  public record Options(
      String iface, String filter, int snaplen, int bufferSize, long queueBytes, Path write) {}

  private LiveCapture(
      PcapHandle handle,
      List<TcpTracker> trackers,
      String name,
      InputStreamOpener opener,
      QuorumTracker quorum) {
    this.handle = handle;
    this.trackers = trackers;
    this.captureThread = new Thread(this::captureLoop, "zkdigest-capture");
    this.decodeThread = new Thread(() -> decode(name, opener, quorum), "zkdigest-decode");
    this.flushThread = new Thread(this::flushLoop, "zkdigest-flush");
    captureThread.setDaemon(true);
    decodeThread.setDaemon(true);
    flushThread.setDaemon(true);
  }

  /** Opens the reading end; blocks until the writing end is open. */
  private interface InputStreamOpener {
    InputStream open() throws IOException;
  }

  /** Opens the interface and starts capturing; one-line messages for every way it can fail. */
  public static LiveCapture start(Options opts, TcpTracker tracker) throws CaptureException {
    return start(opts, List.of(tracker), null);
  }

  /**
   * As {@link #start(Options, TcpTracker)}, with quorum flows (between servers) offered to {@code
   * quorum} first; null for client traffic only.
   */
  public static LiveCapture start(Options opts, TcpTracker tracker, QuorumTracker quorum)
      throws CaptureException {
    return start(opts, List.of(tracker), quorum);
  }

  /**
   * As {@link #start(Options, TcpTracker)}, decoding on {@code trackers.size()} threads that split
   * the connections between them as replay's do, with quorum flows (between servers) offered to
   * {@code quorum} first on the first thread; null for client traffic only.
   */
  public static LiveCapture start(Options opts, List<TcpTracker> trackers, QuorumTracker quorum)
      throws CaptureException {
    PcapHandle handle = LibPcap.open(opts);
    Path dir;
    Path fifo;
    try {
      dir =
          Files.createTempDirectory(
              "zkdigest-capture",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      fifo = dir.resolve("stream.pcap");
      if (Native.load("c", LibC.class).mkfifo(fifo.toString(), FIFO_MODE) != 0) {
        throw new IOException("mkfifo failed");
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      handle.close();
      throw new CaptureException("cannot make a FIFO for the capture: " + e.getMessage());
    }
    OutputStream copy = null;
    if (opts.write() != null) {
      try {
        copy = Files.newOutputStream(opts.write());
      } catch (IOException e) {
        handle.close();
        throw new CaptureException("cannot write " + opts.write() + ": " + e.getMessage());
      }
    }
    OutputStream tee = copy;
    InputStreamOpener opener =
        () -> {
          InputStream in = new FileInputStream(fifo.toFile());
          return tee == null ? in : new TeeInputStream(in, tee);
        };
    LiveCapture c = new LiveCapture(handle, trackers, opts.iface(), opener, quorum);
    // The reader opens first, on its thread: opening a FIFO waits for the other end.
    c.decodeThread.start();
    try {
      c.dumper.set(handle.dumpOpen(fifo.toString()));
    } catch (Exception e) {
      handle.close();
      throw new CaptureException("cannot open the capture stream: " + e.getMessage());
    } finally {
      // Both ends are open (or never will be): nothing is left behind, whatever ends the JVM.
      deleteQuietly(fifo);
      deleteQuietly(dir);
    }
    c.captureThread.start();
    c.flushThread.start();
    return c;
  }

  private void captureLoop() {
    try {
      handle.loop(-1, dumper.get());
    } catch (InterruptedException e) {
      // breakLoop: stopping
    } catch (Exception e) {
      failure = e;
      LOG.warn("capture stopped", e);
    } finally {
      // The stream's end: the reader sees end of file once the rest is written.
      dumper.get().close();
    }
  }

  private void flushLoop() {
    try {
      while (!stopping) {
        Thread.sleep(FLUSH_MS);
        PcapDumper d = dumper.get();
        if (d.isOpen()) {
          d.flush();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // closed meanwhile
    }
  }

  private void decode(String name, InputStreamOpener opener, QuorumTracker quorum) {
    try (InputStream in = opener.open()) {
      result = CaptureReplay.run(name, in, trackers, quorum);
      if (!result.warnings().isEmpty()) {
        failure = new CaptureException(result.warnings().get(0));
      }
    } catch (CaptureException | IOException | RuntimeException | Error e) {
      failure = e;
    }
  }

  @Override
  public Map<String, Long> stats() {
    PcapStat s = lastStats;
    if (handle.isOpen()) {
      try {
        s = handle.getStats();
        lastStats = s;
      } catch (Exception e) {
        // keep the last known
      }
    }
    CaptureReplay.Result r = result;
    long segments = 0;
    long evicted = 0;
    for (TcpTracker t : trackers) {
      segments += t.segments();
      evicted += t.evicted();
    }
    Map<String, Long> m = new LinkedHashMap<>();
    long decoded = r != null ? r.packets() : segments;
    // libpcap wrote every packet it took from the ring to the stream; the pipe holds it back
    // instead of dropping, so what was captured is what is decoded, once decoding has caught up.
    m.put("packets_captured", decoded);
    m.put("packets_decoded", decoded);
    m.put("tcp_segments", segments);
    m.put("queue_drops", 0L);
    if (s != null) {
      m.put("kernel_received", s.getNumPacketsReceived());
      m.put("kernel_drops", s.getNumPacketsDropped());
      m.put("interface_drops", s.getNumPacketsDroppedByIf());
    }
    m.put("connections_evicted", evicted);
    return m;
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() throws CaptureException {
    try {
      // libpcap hands packets over in blocks, at the latest after its 100 ms timeout.
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stats();
    stopping = true;
    try {
      handle.breakLoop();
    } catch (Exception ignored) {
      // already stopped
    }
    try {
      captureThread.join(5_000);
      flushThread.join(1_000);
      decodeThread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    handle.close();
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a temporary FIFO, already open at both ends
    }
  }
}
