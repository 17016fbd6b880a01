package dev.zkdigest.sniffer;

import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.CaptureReplay;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.TcpTracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Live capture by a {@code tcpdump -w -} child process whose pcap stream the replay path decodes,
 * with its sharded decoders ({@code sniff --via tcpdump}). tcpdump takes packets off libpcap's ring
 * in C and writes them to the pipe in large writes, so the JVM makes no call per packet: one read
 * brings in hundreds. A pipe never drops: when decoding falls behind, tcpdump blocks on the write,
 * the kernel's ring fills and the kernel counts the drops, which tcpdump reports as it exits.
 */
public final class TcpdumpCapture implements LiveSource {
  /** tcpdump opens the interface and compiles the filter in well under this. */
  private static final long START_TIMEOUT_MS = 20_000;

  /**
   * Without immediate mode libpcap hands tcpdump a block when it is full or after tcpdump's 1 s
   * timeout; a packet in a block not handed over yet when tcpdump stops is lost. Waiting longer
   * than that timeout before stopping keeps the last packets.
   */
  private static final long LAST_BLOCK_MS = 1_200;

  private static final Pattern STAT =
      Pattern.compile(
          "^(\\d+) packets? (captured|received by filter|dropped by kernel|dropped by interface)");

  private static final String[] DIRECTORIES = {"/usr/sbin", "/usr/bin", "/sbin", "/bin"};

  private final Process process;
  private final List<TcpTracker> trackers;
  private final Thread decodeThread;
  private final Thread errThread;
  private final CountDownLatch listening = new CountDownLatch(1);

  /** tcpdump's stderr, for the message when it fails. Written by {@link #errThread} only. */
  private final List<String> messages = java.util.Collections.synchronizedList(new ArrayList<>());

  /** tcpdump's statistics lines by what they count, once it has printed them at its exit. */
  private final Map<String, Long> tcpdumpStats = new ConcurrentHashMap<>();

  private volatile CaptureReplay.Result result;
  private volatile Throwable failure;

  /** Set by {@link #close}: from then on the stream's end is expected. */
  private volatile boolean stopping;

  private TcpdumpCapture(
      Process process,
      List<TcpTracker> trackers,
      String name,
      InputStream stream,
      QuorumTracker quorum) {
    this.process = process;
    this.trackers = trackers;
    this.decodeThread = new Thread(() -> decode(name, stream, quorum), "zkdigest-decode");
    this.errThread = new Thread(this::readMessages, "zkdigest-tcpdump-stderr");
    decodeThread.setDaemon(true);
    errThread.setDaemon(true);
  }

  /** The tcpdump executable, or null if there is none. */
  public static Path locate() {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of(DIRECTORIES));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path p = Path.of(d, "tcpdump");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Starts tcpdump on the interface and decodes its stream on {@code trackers.size()} threads, the
   * connections split between them as in replay; quorum flows go to {@code quorum} (null: none).
   * {@link LiveCapture.Options#queueBytes} does not apply: the pipe holds tcpdump back instead.
   */
  public static TcpdumpCapture start(
      LiveCapture.Options opts, List<TcpTracker> trackers, QuorumTracker quorum)
      throws CaptureException {
    Path tcpdump = locate();
    if (tcpdump == null) {
      throw new CaptureException(
          "tcpdump was not found: install it (Debian/Ubuntu: apt-get install tcpdump), or use"
              + " --via libpcap");
    }
    OutputStream copy = null;
    if (opts.write() != null) {
      try {
        copy = Files.newOutputStream(opts.write());
      } catch (IOException e) {
        throw new CaptureException("cannot write " + opts.write() + ": " + e.getMessage());
      }
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                tcpdump.toString(),
                "-i",
                opts.iface(),
                "-n",
                "-s",
                Integer.toString(opts.snaplen()),
                "-B",
                Integer.toString(Math.max(1, opts.bufferSize() / 1024)),
                "--time-stamp-precision=nano",
                // Each packet written as it comes, so --interval, --show and the metrics keep up
                // at low rates; measured no dearer than 8 KiB writes at 190,000 packets/s.
                "-U",
                "-w",
                "-"));
    if ("root".equals(System.getProperty("user.name"))) {
      // As root tcpdump would switch to its own user, which a container may not have.
      cmd.addAll(List.of("-Z", "root"));
    }
    cmd.add(opts.filter());
    Process p;
    try {
      p = new ProcessBuilder(cmd).start();
    } catch (IOException e) {
      closeQuietly(copy);
      throw new CaptureException("cannot start tcpdump: " + e.getMessage());
    }
    InputStream stream =
        copy == null ? p.getInputStream() : new TeeInputStream(p.getInputStream(), copy);
    TcpdumpCapture c = new TcpdumpCapture(p, trackers, opts.iface() + " (tcpdump)", stream, quorum);
    c.errThread.start();
    c.awaitListening(opts);
    c.decodeThread.start();
    return c;
  }

  private void awaitListening(LiveCapture.Options opts) throws CaptureException {
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MS);
      while (!listening.await(50, TimeUnit.MILLISECONDS)) {
        if (!process.isAlive()) {
          errThread.join(1_000);
          throw new CaptureException(explain(opts));
        }
        if (System.nanoTime() > deadline) {
          process.destroyForcibly();
          throw new CaptureException("tcpdump did not start capturing on " + opts.iface());
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CaptureException("interrupted");
    }
  }

  /** tcpdump's own error, as one line with what to do about it. */
  private String explain(LiveCapture.Options opts) {
    String line;
    synchronized (messages) {
      line =
          messages.stream()
              .filter(m -> m.startsWith("tcpdump: "))
              .findFirst()
              .orElse(messages.isEmpty() ? "tcpdump exited" : messages.get(0));
    }
    String lower = line.toLowerCase(Locale.ROOT);
    if (lower.contains("syntax error") || lower.contains("filter expression")) {
      return "bad capture filter '" + opts.filter() + "': " + line;
    }
    return LibPcap.explain(opts.iface(), new IOException(line));
  }

  private void readMessages() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.contains("listening on")) {
          listening.countDown();
        }
        Matcher m = STAT.matcher(line);
        if (m.find()) {
          tcpdumpStats.put(m.group(2), Long.parseLong(m.group(1)));
        } else if (messages.size() < 20) {
          messages.add(line);
        }
      }
    } catch (IOException e) {
      // tcpdump is gone
    }
  }

  private void decode(String name, InputStream stream, QuorumTracker quorum) {
    try {
      result = CaptureReplay.run(name, stream, trackers, quorum);
      // tcpdump exits 0 when stopped by a signal (Ctrl-C reaches it too); otherwise it failed.
      if (!stopping && process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() != 0) {
        failure = new CaptureException("tcpdump stopped: " + lastMessage());
      } else if (!result.warnings().isEmpty()) {
        failure = new CaptureException(result.warnings().get(0));
      }
    } catch (CaptureException | RuntimeException | Error e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(stream);
    }
  }

  private String lastMessage() {
    synchronized (messages) {
      return messages.isEmpty() ? "its stream ended" : messages.get(messages.size() - 1);
    }
  }

  @Override
  public Map<String, Long> stats() {
    CaptureReplay.Result r = result;
    long segments = 0;
    long evicted = 0;
    for (TcpTracker t : trackers) {
      // Each tracker counts its own connections' segments: together, every TCP packet.
      segments += t.segments();
      evicted += t.evicted();
    }
    Map<String, Long> m = new LinkedHashMap<>();
    // Until tcpdump has exited and the stream is read to its end, what was decoded so far.
    m.put("packets_captured", tcpdumpStats.getOrDefault("captured", segments));
    m.put("packets_decoded", r != null ? r.packets() : segments);
    m.put("tcp_segments", segments);
    m.put("queue_drops", 0L);
    Long received = tcpdumpStats.get("received by filter");
    if (received != null) {
      m.put("kernel_received", received);
      m.put("kernel_drops", tcpdumpStats.getOrDefault("dropped by kernel", 0L));
      m.put("interface_drops", tcpdumpStats.getOrDefault("dropped by interface", 0L));
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
      if (process.isAlive()) {
        Thread.sleep(LAST_BLOCK_MS);
      }
      stopping = true;
      // SIGTERM: tcpdump leaves its loop, flushes the stream and prints its statistics.
      // Through the handle: Process.destroy() would also close our end of the pipes.
      process.toHandle().destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      decodeThread.join(60_000);
      errThread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing to do about it
    }
  }
}
