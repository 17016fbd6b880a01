package dev.zkdigest.agent.bootstrap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The only agent class that instrumented ZooKeeper code calls, on the bootstrap class path so that
 * code in any class loader finds it; JDK classes only. The NIO entry points replace ZooKeeper's own
 * {@code SocketChannel} calls, do them unchanged, and tap what went through; the others are called
 * from advice. Nothing here throws into ZooKeeper beyond what its own call threw, and nothing
 * waits: with no agent running, each entry point is the bare socket call.
 */
public final class ZkdigestBridge {
  private static volatile TapSink sink;

  /** The Netty client's channel while its send path encodes a packet, per thread. */
  private static final ThreadLocal<Object> SENDING = new ThreadLocal<>();

  /** Throwables the sink let escape (bugs), swallowed here; the agent reports the count. */
  private static final AtomicLong FAILURES = new AtomicLong();

  /** With {@code in-process}: the running agent's interval reports, JSON text (JDK types only). */
  private static volatile Supplier<String> intervals;

  private ZkdigestBridge() {}

  /** Lets code in this JVM read the agent's interval reports ({@link #intervalReport}). */
  public static synchronized void installIntervals(Supplier<String> s) {
    intervals = s;
  }

  public static synchronized void uninstallIntervals(Supplier<String> s) {
    if (intervals == s) {
      intervals = null;
    }
  }

  /**
   * The traffic since the previous call (or the agent's start) as a JSON report, for zkdigest-junit
   * in the same JVM (another class loader, hence text); null when no agent started with {@code
   * in-process} is running.
   */
  public static String intervalReport() {
    Supplier<String> s = intervals;
    return s == null ? null : s.get();
  }

  /** Installs the running agent's sink; false if another agent already has one. */
  public static synchronized boolean install(TapSink s) {
    if (sink != null) {
      return false;
    }
    sink = s;
    return true;
  }

  /** Taps nothing from now on (calls in progress may still reach {@code s}). */
  public static synchronized void uninstall(TapSink s) {
    if (sink == s) {
      sink = null;
    }
  }

  public static boolean active() {
    return sink != null;
  }

  public static long failures() {
    return FAILURES.get();
  }

  // ---- NIO: in place of SocketChannel.read/write inside ClientCnxnSocketNIO and NIOServerCnxn
  // ----

  public static int clientRead(SocketChannel ch, ByteBuffer dst) throws IOException {
    return read(ch, dst, TapSink.CLIENT_SIDE);
  }

  public static int clientWrite(SocketChannel ch, ByteBuffer src) throws IOException {
    return write(ch, src, TapSink.CLIENT_SIDE);
  }

  public static int serverRead(SocketChannel ch, ByteBuffer dst) throws IOException {
    return read(ch, dst, TapSink.SERVER_SIDE);
  }

  public static int serverWrite(SocketChannel ch, ByteBuffer src) throws IOException {
    return write(ch, src, TapSink.SERVER_SIDE);
  }

  /** The server's gathering write (used when its direct buffer is switched off). */
  public static long serverWrite(SocketChannel ch, ByteBuffer[] srcs) throws IOException {
    if (sink == null) {
      return ch.write(srcs);
    }
    int[] before = new int[srcs.length];
    for (int i = 0; i < srcs.length; i++) {
      before[i] = srcs[i].position();
    }
    long n = ch.write(srcs);
    TapSink s = sink;
    if (s != null && n > 0) {
      try {
        for (int i = 0; i < srcs.length; i++) {
          int after = srcs[i].position();
          if (after > before[i]) {
            s.bytes(ch, TapSink.SERVER_SIDE, true, srcs[i], before[i], after);
          }
        }
      } catch (Throwable t) {
        FAILURES.incrementAndGet();
      }
    }
    return n;
  }

  private static int read(SocketChannel ch, ByteBuffer dst, int side) throws IOException {
    int before = dst.position();
    int n = ch.read(dst);
    TapSink s = sink;
    if (s != null) {
      try {
        if (n > 0) {
          s.bytes(ch, side, false, dst, before, before + n);
        } else if (n < 0) {
          s.closed(ch);
        }
      } catch (Throwable t) {
        FAILURES.incrementAndGet();
      }
    }
    return n;
  }

  private static int write(SocketChannel ch, ByteBuffer src, int side) throws IOException {
    int before = src.position();
    int n = ch.write(src);
    TapSink s = sink;
    if (s != null && n > 0) {
      try {
        s.bytes(ch, side, true, src, before, before + n);
      } catch (Throwable t) {
        FAILURES.incrementAndGet();
      }
    }
    return n;
  }

  // ---- Netty and close: called from advice ----

  /** Bytes of a Netty channel: each buffer from its position to its limit. */
  public static void netty(Object channel, int side, boolean outbound, ByteBuffer[] bufs) {
    TapSink s = sink;
    if (s == null) {
      return;
    }
    try {
      for (ByteBuffer b : bufs) {
        if (b.hasRemaining()) {
          s.bytes(channel, side, outbound, b, b.position(), b.limit());
        }
      }
    } catch (Throwable t) {
      FAILURES.incrementAndGet();
    }
  }

  public static void closed(Object connection) {
    TapSink s = sink;
    if (s == null || connection == null) {
      return;
    }
    try {
      s.closed(connection);
    } catch (Throwable t) {
      FAILURES.incrementAndGet();
    }
  }

  /** The Netty client starts sending a packet on {@code channel} (its send method's entry). */
  public static void sending(Object channel) {
    if (sink != null) {
      SENDING.set(channel);
    }
  }

  /** The send method returned. */
  public static void sent() {
    if (sink != null || SENDING.get() != null) {
      SENDING.remove();
    }
  }

  /**
   * A packet was encoded into {@code bb} (position to limit): its bytes are on their way out if the
   * Netty client's send path encoded it. The NIO client's encodings are tapped at the socket
   * instead, so they are ignored here.
   */
  public static void encoded(ByteBuffer bb) {
    TapSink s = sink;
    if (s == null || bb == null) {
      return;
    }
    Object channel = SENDING.get();
    if (channel == null) {
      return;
    }
    try {
      s.bytes(channel, TapSink.CLIENT_SIDE, true, bb, bb.position(), bb.limit());
    } catch (Throwable t) {
      FAILURES.incrementAndGet();
    }
  }
}
