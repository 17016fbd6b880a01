package dev.zkdigest.sniffer;

import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.Packet;
import dev.zkdigest.capture.PacketDecoder;
import dev.zkdigest.capture.PcapWriter;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.TcpSegment;
import dev.zkdigest.capture.TcpTracker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapStat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live capture with libpcap (pcap4j), packet by packet ({@code sniff --via libpcap-queue}). A
 * capture thread takes each packet off the interface through a call from libpcap into Java and
 * hands it to the decoding thread through a queue bounded in bytes; if the queue is full the packet
 * is dropped and counted. The decoding thread runs the same reassembly and protocol core as {@code
 * replay}. The default, {@link LiveCapture}, costs a sixth of this per packet on the capture thread
 * (BENCHMARKS.md, live capture rate); this one stays for its contract: decoding that falls behind
 * loses packets at the hand-off, counted as queue drops, and never holds the capture back.
 */
public final class QueuedCapture implements LiveSource {
  private static final Logger LOG = LoggerFactory.getLogger(QueuedCapture.class);

  private record Captured(long nanos, byte[] data, int originalLength) {}

  private static final Captured END = new Captured(0, new byte[0], 0);

  private final LiveCapture.Options opts;
  private final PcapHandle handle;
  private final int linkType;
  private final TcpTracker tracker;
  private final QuorumTracker quorum;

  /**
   * Packets the queue holds at most: enough for {@code queueBytes} of the smallest frames, so the
   * bound in bytes is the one that applies. A fixed 65,536 used to bind first, at 13 MiB of
   * ZooKeeper's ~200-byte packets: 0.4 s of buffering at 150,000 packets/s, where a loaded machine
   * dropped 3% (BENCHMARKS.md, live capture rate).
   */
  private static final int MIN_FRAME = 64;

  private static final int MAX_QUEUED = 1 << 22;

  private final BlockingQueue<Captured> queue;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong captured = new AtomicLong();
  private final AtomicLong queueDrops = new AtomicLong();
  private final AtomicLong decoded = new AtomicLong();
  private volatile PcapStat lastStats;
  private final Thread captureThread;
  private final Thread decodeThread;
  private final PcapWriter writer;
  private volatile Throwable failure;

  private QueuedCapture(
      LiveCapture.Options opts,
      PcapHandle handle,
      TcpTracker tracker,
      QuorumTracker quorum,
      PcapWriter writer) {
    this.opts = opts;
    this.queue =
        new ArrayBlockingQueue<>(
            (int) Math.max(1, Math.min(MAX_QUEUED, opts.queueBytes() / MIN_FRAME)));
    this.handle = handle;
    this.linkType = handle.getDlt().value();
    this.tracker = tracker;
    this.quorum = quorum;
    this.writer = writer;
    this.captureThread = new Thread(this::captureLoop, "zkdigest-capture");
    this.decodeThread = new Thread(this::decodeLoop, "zkdigest-decode");
    captureThread.setDaemon(true);
    decodeThread.setDaemon(true);
  }

  /**
   * Opens the interface and starts capturing, with quorum flows (between servers) offered to {@code
   * quorum} first (null for client traffic only); one-line messages for every way it can fail.
   */
  public static QueuedCapture start(
      LiveCapture.Options opts, TcpTracker tracker, QuorumTracker quorum) throws CaptureException {
    PcapHandle handle = LibPcap.open(opts);
    PcapWriter writer = null;
    if (opts.write() != null) {
      try {
        OutputStream os = Files.newOutputStream(opts.write());
        writer = new PcapWriter(os, handle.getDlt().value(), opts.snaplen(), true);
      } catch (IOException e) {
        handle.close();
        throw new CaptureException("cannot write " + opts.write() + ": " + e.getMessage());
      }
    }
    QueuedCapture c = new QueuedCapture(opts, handle, tracker, quorum, writer);
    c.decodeThread.start();
    c.captureThread.start();
    return c;
  }

  private void captureLoop() {
    try {
      handle.loop(
          -1,
          (byte[] packet) -> {
            captured.incrementAndGet();
            java.sql.Timestamp ts = handle.getTimestamp();
            long nanos = (ts.getTime() / 1000) * 1_000_000_000L + ts.getNanos();
            Integer orig = handle.getOriginalLength();
            int originalLength = orig != null ? orig : packet.length;
            if (queuedBytes.get() + packet.length > opts.queueBytes()
                || !queue.offer(new Captured(nanos, packet, originalLength))) {
              queueDrops.incrementAndGet();
              return;
            }
            queuedBytes.addAndGet(packet.length);
          });
    } catch (InterruptedException e) {
      // breakLoop: stopping
    } catch (Exception e) {
      failure = e;
      LOG.warn("capture stopped", e);
    } finally {
      try {
        queue.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void decodeLoop() {
    TcpSegment seg = new TcpSegment();
    try {
      while (true) {
        Captured c = queue.poll(1, TimeUnit.SECONDS);
        if (c == null) {
          continue;
        }
        if (c == END) {
          break;
        }
        queuedBytes.addAndGet(-c.data().length);
        decoded.incrementAndGet();
        Packet p =
            new Packet(c.nanos(), linkType, c.data(), 0, c.data().length, c.originalLength());
        if (writer != null) {
          writer.write(c.nanos(), c.data(), 0, c.data().length, c.originalLength());
        }
        if (PacketDecoder.decode(p, seg) && (quorum == null || !quorum.offer(seg))) {
          tracker.segment(seg);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = e;
      LOG.warn("decoding stopped", e);
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
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("packets_captured", captured.get());
    m.put("packets_decoded", decoded.get());
    // As replay reports it; read from the decoding thread's counter, exact once it has stopped.
    m.put("tcp_segments", tracker.segments());
    m.put("queue_drops", queueDrops.get());
    if (s != null) {
      m.put("kernel_received", s.getNumPacketsReceived());
      m.put("kernel_drops", s.getNumPacketsDropped());
      m.put("interface_drops", s.getNumPacketsDroppedByIf());
    }
    m.put("connections_evicted", tracker.evicted());
    return m;
  }

  @Override
  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() throws CaptureException {
    try {
      // libpcap hands packets over in blocks, at the latest after its 100 ms timeout: let the
      // last block arrive before stopping.
      Thread.sleep(250);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stats();
    try {
      handle.breakLoop();
    } catch (Exception ignored) {
      // already stopped
    }
    try {
      captureThread.join(5_000);
      decodeThread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    tracker.finish();
    if (quorum != null) {
      quorum.finish();
    }
    handle.close();
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        throw new CaptureException("cannot finish " + opts.write() + ": " + e.getMessage());
      }
    }
  }
}
