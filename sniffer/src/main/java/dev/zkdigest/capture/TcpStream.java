package dev.zkdigest.capture;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts one direction of a TCP connection back in order. Retransmitted bytes are trimmed, segments
 * that arrive early wait (up to {@link #MAX_BUFFERED} bytes), and bytes that never arrive — lost,
 * or cut by the snaplen — are reported as gaps so the decoder can skip them by frame length.
 *
 * <p>Threading: confined to the decoding thread.
 */
final class TcpStream {
  /** Out-of-order bytes held per direction before the hole is declared lost. */
  static final int MAX_BUFFERED = 256 * 1024;

  /** Where in-order bytes and gaps go. */
  interface Sink {
    void data(byte[] buf, int off, int len, long nanos);

    void gap(long bytes, long nanos);
  }

  private record Held(byte[] data, int onWire, long nanos) {}

  private final Sink sink;
  private boolean initialized;
  private long next;

  /** Segments that arrived before a hole, by sequence number; made on first need. */
  private TreeMap<Long, Held> early;

  private int buffered;

  /** Where this direction's FIN is, once seen; -1 before. */
  private long finAt = -1;

  /**
   * The most a peer can acknowledge beyond what was captured: TCP's largest window (2^30 with
   * window scaling). An acknowledgement further ahead is not about this stream (a reused
   * four-tuple) and is ignored.
   */
  private static final long MAX_WINDOW = 1L << 30;

  TcpStream(Sink sink) {
    this.sink = sink;
  }

  /** The SYN (or SYN-ACK) fixes where the byte stream starts. */
  void syn(int seq) {
    initialized = true;
    next = (seq & 0xffffffffL) + 1;
    early = null;
    buffered = 0;
    finAt = -1;
  }

  void segment(int seq, byte[] data, int off, int len, int onWire, long nanos) {
    if (onWire <= 0) {
      return;
    }
    if (!initialized) {
      initialized = true;
      next = seq & 0xffffffffL;
    }
    long abs = next + (int) (seq - (int) next);
    if (abs > next) {
      hold(abs, data, off, len, onWire, nanos);
      return;
    }
    deliver(abs, data, off, len, onWire, nanos);
    drain();
  }

  /**
   * The peer acknowledged everything before {@code ack}: a hole below it was delivered but not
   * captured (a capture drop, not a network loss), so it will never fill. What waits behind it is
   * delivered now, after a gap, instead of when the buffer fills; and a hole with nothing captured
   * after it yet (the tail of a request) is a gap now, so the request is complete before the reply
   * that acknowledges it.
   */
  void acked(int ack, long nanos) {
    if (!initialized) {
      return;
    }
    long abs = next + (int) (ack - (int) next);
    if (finAt >= 0) {
      abs = Math.min(abs, finAt); // the FIN takes a sequence number but carries no byte
    }
    while (early != null && !early.isEmpty() && early.firstKey() < abs) {
      Map.Entry<Long, Held> e = early.pollFirstEntry();
      Held h = e.getValue();
      buffered -= h.data().length;
      if (e.getKey() > next) {
        sink.gap(e.getKey() - next, h.nanos());
        next = e.getKey();
      }
      deliver(e.getKey(), h.data(), 0, h.data().length, h.onWire(), h.nanos());
    }
    if (abs > next && abs - next <= MAX_WINDOW) {
      sink.gap(abs - next, nanos);
      next = abs;
    }
    drain();
  }

  /** This direction's FIN, at sequence number {@code seq}: acknowledging it is no data. */
  void fin(int seq) {
    if (initialized) {
      finAt = next + (int) (seq - (int) next);
    }
  }

  /** End of the stream: whatever waits behind a hole is delivered after a gap. */
  void flush() {
    while (early != null && !early.isEmpty()) {
      Map.Entry<Long, Held> e = early.pollFirstEntry();
      Held h = e.getValue();
      buffered -= h.data().length;
      if (e.getKey() > next) {
        sink.gap(e.getKey() - next, h.nanos());
        next = e.getKey();
      }
      deliver(e.getKey(), h.data(), 0, h.data().length, h.onWire(), h.nanos());
    }
  }

  private void hold(long abs, byte[] data, int off, int len, int onWire, long nanos) {
    if (buffered + len > MAX_BUFFERED) {
      // The hole is not going to fill: give up on it, then take this segment in order.
      flush();
      if (abs > next) {
        sink.gap(abs - next, nanos);
        next = abs;
      }
      deliver(abs, data, off, len, onWire, nanos);
      return;
    }
    if (early == null) {
      early = new TreeMap<>();
    }
    Held prev = early.get(abs);
    if (prev == null || prev.onWire() < onWire) {
      if (prev != null) {
        buffered -= prev.data().length;
      }
      early.put(abs, new Held(Arrays.copyOfRange(data, off, off + len), onWire, nanos));
      buffered += len;
    }
  }

  private void deliver(long abs, byte[] data, int off, int len, int onWire, long nanos) {
    long end = abs + onWire;
    if (end <= next) {
      return; // all of it seen already
    }
    int trim = (int) (next - abs);
    if (trim > 0) {
      int cut = Math.min(trim, len);
      off += cut;
      len -= cut;
      onWire -= trim;
    }
    if (len > 0) {
      sink.data(data, off, len, nanos);
    }
    if (onWire > len) {
      sink.gap(onWire - len, nanos);
    }
    next += onWire;
  }

  private void drain() {
    while (early != null && !early.isEmpty()) {
      Map.Entry<Long, Held> e = early.firstEntry();
      if (e.getKey() > next) {
        return;
      }
      early.pollFirstEntry();
      Held h = e.getValue();
      buffered -= h.data().length;
      deliver(e.getKey(), h.data(), 0, h.data().length, h.onWire(), h.nanos());
    }
  }
}
