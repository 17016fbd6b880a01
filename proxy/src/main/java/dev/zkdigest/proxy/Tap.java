package dev.zkdigest.proxy;

import dev.zkdigest.protocol.ZkConnection;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a copy of a connection's bytes to the protocol core without ever disturbing forwarding:
 * anything the core throws stops the analysis of that connection, and the bytes keep flowing.
 *
 * <p>Threading: confined to the connection's event loop (client and upstream channels share it).
 */
final class Tap {
  private static final Logger LOG = LoggerFactory.getLogger(Tap.class);

  private final ZkConnection zk;
  private final ProxyStats stats;
  private static final int SCRATCH = 16 * 1024;

  /**
   * Direct buffers are copied through this, a slice at a time; one per event loop, since a feed
   * runs to its end on its loop's thread (one per connection cost 16 KiB times every connection).
   */
  private static final FastThreadLocal<byte[]> SCRATCH_BY_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[SCRATCH];
        }
      };

  private boolean stopped;

  Tap(ZkConnection zk, ProxyStats stats) {
    this.zk = zk;
    this.stats = stats;
  }

  void fromClient(ByteBuf buf) {
    feed(buf, true);
  }

  void fromServer(ByteBuf buf) {
    feed(buf, false);
  }

  private void feed(ByteBuf buf, boolean client) {
    if (stopped) {
      return;
    }
    int len = buf.readableBytes();
    if (len == 0) {
      return;
    }
    try {
      long now = Clock.epochNanos();
      if (buf.hasArray()) {
        deliver(buf.array(), buf.arrayOffset() + buf.readerIndex(), len, now, client);
      } else {
        byte[] scratch = SCRATCH_BY_LOOP.get();
        for (int done = 0; done < len; ) {
          int n = Math.min(SCRATCH, len - done);
          buf.getBytes(buf.readerIndex() + done, scratch, 0, n);
          deliver(scratch, 0, n, now, client);
          done += n;
        }
      }
    } catch (RuntimeException e) {
      stopped = true;
      stats.analysisStopped.incrementAndGet();
      LOG.warn("analysis of a connection stopped after an internal error; forwarding goes on", e);
    }
  }

  private void deliver(byte[] arr, int off, int len, long now, boolean client) {
    if (client) {
      zk.fromClient(arr, off, len, now);
    } else {
      zk.fromServer(arr, off, len, now);
    }
  }

  void close() {
    try {
      zk.close(Clock.epochNanos());
    } catch (RuntimeException e) {
      LOG.warn("closing a connection's analysis failed", e);
    }
  }
}
