package dev.zkdigest.cli;

import com.sun.net.httpserver.HttpServer;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.report.PrometheusReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Prometheus endpoint on the JDK's own HTTP server: {@code GET /metrics}. */
final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  static MetricsServer start(InetSocketAddress addr, Supplier<DigestSnapshot> digest)
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
    s.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "zkdigest-metrics");
              t.setDaemon(true);
              return t;
            }));
    s.start();
    return new MetricsServer(s);
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
