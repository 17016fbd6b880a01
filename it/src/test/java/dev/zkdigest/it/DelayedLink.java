package dev.zkdigest.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A slow network link in front of a real server, for tests: it accepts connections on a loopback
 * port, connects each to the server, passes the client's bytes on at once and holds each chunk of
 * the server's for {@code delayMillis} before passing it on, in order. Nothing is changed.
 */
final class DelayedLink implements AutoCloseable {
  private record Chunk(long dueNanos, byte[] bytes) {}

  private static final Chunk END = new Chunk(0, new byte[0]);

  /** A loopback address of the link's own (Linux routes all of 127/8 to lo). */
  static final String HOST = "127.0.0.3";

  private final ServerSocket listener;
  private final int serverPort;

  /** Changed by {@link #delay} while connections are up (a link that becomes slow). */
  private volatile long delayNanos;

  DelayedLink(int serverPort, long delayMillis) throws IOException {
    // Not on 127.0.0.1, where a ZooKeeper client an earlier test left retrying its old server's
    // port could connect through this link when the kernel hands that port out again.
    this.listener = new ServerSocket(0, 50, InetAddress.getByName(HOST));
    this.serverPort = serverPort;
    this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMillis);
    daemon("delayed-link-accept", this::acceptLoop);
  }

  /** From now on, server chunks are held this long (chunks already held keep their time). */
  void delay(long millis) {
    delayNanos = TimeUnit.MILLISECONDS.toNanos(millis);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Where clients connect: {@code host:port}. */
  String address() {
    return HOST + ":" + port();
  }

  private void acceptLoop() {
    try {
      while (true) {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        daemon("delayed-link-up", () -> copy(client, server));
        BlockingQueue<Chunk> held = new LinkedBlockingQueue<>();
        daemon("delayed-link-read", () -> hold(server, held));
        daemon("delayed-link-down", () -> release(held, client));
      }
    } catch (IOException e) {
      // closed
    }
  }

  private static void copy(Socket from, Socket to) {
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(to);
    }
  }

  private void hold(Socket from, BlockingQueue<Chunk> held) {
    try (InputStream in = from.getInputStream()) {
      byte[] buf = new byte[65536];
      for (int n; (n = in.read(buf)) > 0; ) {
        held.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buf, n)));
      }
    } catch (IOException e) {
      // the server went away: pass on what came before
    }
    held.add(END);
  }

  private static void release(BlockingQueue<Chunk> held, Socket to) {
    try (OutputStream out = to.getOutputStream()) {
      for (Chunk c = held.take(); c != END; c = held.take()) {
        long wait = c.dueNanos() - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        out.write(c.bytes());
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      closeQuietly(to);
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
