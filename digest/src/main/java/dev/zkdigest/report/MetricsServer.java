package dev.zkdigest.report;

import com.sun.net.httpserver.HttpServer;
import dev.zkdigest.digest.DigestSnapshot;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Prometheus endpoint on the JDK's own HTTP server: {@code GET /metrics}. Shared by the live modes
 * of the command and by the agent, which is why it lives beside the renderer and not in cli/.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  public static MetricsServer start(InetSocketAddress addr, Supplier<DigestSnapshot> digest)
      throws IOException {
    HttpServer s;
    try {
      s = HttpServer.create(addr, 16);
    } catch (BindException e) {
      throw new IOException(
          "cannot serve metrics on "
              + addr.getHostString()
              + ":"
              + addr.getPort()
              + ": "
              + e.getMessage());
    }
    s.createContext(
        "/metrics",
        ex -> {
          StringWriter body = new StringWriter();
          PrometheusReport.render(digest.get(), new PrintWriter(body));
          byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, bytes.length);
          try (var os = ex.getResponseBody()) {
            os.write(bytes);
          }
        });
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "zkdigest-metrics");
              t.setDaemon(true);
              return t;
            });
    s.setExecutor(executor);
    s.start();
    return new MetricsServer(s, executor);
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops serving and ends the server's threads (the agent leaves nothing behind on detach). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
