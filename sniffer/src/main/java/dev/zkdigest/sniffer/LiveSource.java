package dev.zkdigest.sniffer;

import dev.zkdigest.capture.CaptureException;
import java.util.Map;

/**
 * A running live capture, whichever engine takes the packets off the interface: libpcap in this JVM
 * ({@link LiveCapture}) or a tcpdump child process ({@link TcpdumpCapture}).
 */
public sealed interface LiveSource extends AutoCloseable permits LiveCapture, QueuedCapture {

  /** Capture statistics, for the report: kernel and interface drops, queue overflow. */
  Map<String, Long> stats();

  /** Why capture or decoding stopped on its own, or null. */
  Throwable failure();

  /** Stops capturing, decodes what was captured, and closes every connection. */
  @Override
  void close() throws CaptureException;
}
