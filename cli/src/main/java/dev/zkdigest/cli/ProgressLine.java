package dev.zkdigest.cli;

import dev.zkdigest.capture.ReplayProgress;
import dev.zkdigest.report.Units;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The line replay keeps rewriting on standard error while it reads large files: bytes done, packets
 * per second, time left. Only when standard error is a terminal, which the launcher tells with
 * {@code ZKDIGEST_STDERR_TTY=1} (the JVM cannot see it); silent otherwise, so logs and pipes never
 * get it.
 */
final class ProgressLine implements AutoCloseable {
  /** The launcher sets it to 1 when standard error is a terminal ({@code [ -t 2 ]}). */
  static final String TTY_ENV = "ZKDIGEST_STDERR_TTY";

  private static final long EVERY_MILLIS = 1_000;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Carriage return and "erase to the end of the line": the line is rewritten in place. */
  private static final String REWRITE = "\r";

  private static final String ERASE = "\033[K";

  private final ReplayProgress progress;
  private final long totalBytes;
  private final PrintWriter err;
  private final Thread thread;
  private volatile boolean stopped;
  private boolean printed;

  private ProgressLine(ReplayProgress progress, long totalBytes, PrintWriter err) {
    this.progress = progress;
    this.totalBytes = totalBytes;
    this.err = err;
    this.thread = new Thread(this::loop, "zkdigest-progress");
    this.thread.setDaemon(true);
  }

  /** Whether standard error is a terminal, as the launcher said. */
  static boolean wanted() {
    return "1".equals(System.getenv(TTY_ENV));
  }

  /** Starts the line for {@code totalBytes} of captures; close it before the report is written. */
  static ProgressLine start(ReplayProgress progress, long totalBytes, PrintWriter err) {
    ProgressLine p = new ProgressLine(progress, totalBytes, err);
    p.thread.start();
    return p;
  }

  private void loop() {
    long startNanos = System.nanoTime();
    long lastPackets = 0;
    long lastNanos = startNanos;
    while (!stopped) {
      try {
        Thread.sleep(EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      long packets = progress.packets();
      long bytes = progress.bytes();
      double rate = (packets - lastPackets) * (double) NANOS_PER_SECOND / (now - lastNanos);
      lastPackets = packets;
      lastNanos = now;
      synchronized (this) {
        if (stopped) {
          return;
        }
        err.print(REWRITE + line(bytes, totalBytes, rate, now - startNanos) + ERASE);
        err.flush();
        printed = true;
      }
    }
  }

  /** E.g. {@code zkdigest: 1.20G of 3.40G (35%), 812k packets/s, about 6s left}. */
  static String line(long bytes, long total, double packetsPerSecond, long elapsedNanos) {
    StringBuilder b = new StringBuilder("zkdigest: ").append(Units.bytes(bytes));
    if (total > 0) {
      b.append(" of ")
          .append(Units.bytes(total))
          .append(String.format(Locale.ROOT, " (%d%%)", Math.min(100, bytes * 100 / total)));
    }
    b.append(", ").append(Units.count(packetsPerSecond)).append(" packets/s");
    if (total > 0 && bytes > 0 && bytes < total) {
      long leftSeconds =
          Math.round(elapsedNanos / (double) NANOS_PER_SECOND * (total - bytes) / bytes);
      b.append(", about ").append(leftSeconds).append("s left");
    }
    return b.toString();
  }

  /** Stops and erases the line, so the report starts on a clean line. */
  @Override
  public void close() {
    synchronized (this) {
      stopped = true;
      if (printed) {
        err.print(REWRITE + ERASE);
        err.flush();
      }
    }
    thread.interrupt();
  }
}
