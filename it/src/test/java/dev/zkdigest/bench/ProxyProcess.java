package dev.zkdigest.bench;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code zkdigest proxy} process started through the launcher for the long benchmarks, with its
 * metrics endpoint and a JSON report at exit, and the measurements they take of it: RSS from {@code
 * /proc}, the live heap after a full GC ({@code jcmd GC.run}, then {@code jstat -gc}).
 */
public final class ProxyProcess implements AutoCloseable {
  private final Process process;
  private final int listen;
  private final int metrics;
  private final Path report;

  private ProxyProcess(Process process, int listen, int metrics, Path report) {
    this.process = process;
    this.listen = listen;
    this.metrics = metrics;
    this.report = report;
  }

  /** Starts the proxy in front of {@code upstreamPort}; JAVA_OPTS is passed on as it is set. */
  static ProxyProcess start(Path root, int upstreamPort, Path dir) throws Exception {
    int listen = free();
    int metrics = free();
    Path report = dir.resolve("proxy-report.json");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                root.resolve("zkdigest").toString(),
                "proxy",
                "--listen",
                "127.0.0.1:" + listen,
                "--upstream",
                "127.0.0.1:" + upstreamPort,
                "--metrics",
                "127.0.0.1:" + metrics,
                "--format",
                "json",
                "--output",
                report.toString()));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("proxy.log").toFile())
            .start();
    ProxyProcess proxy = new ProxyProcess(p, listen, metrics, report);
    proxy.waitListening();
    return proxy;
  }

  String connectString() {
    return "127.0.0.1:" + listen;
  }

  long pid() {
    return process.pid(); // the launcher execs java in place
  }

  /** Prometheus samples by name (with labels). */
  Map<String, Double> scrape() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metrics + "/metrics"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Map<String, Double> m = new HashMap<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int sp = line.lastIndexOf(' ');
        m.put(line.substring(0, sp), Double.parseDouble(line.substring(sp + 1)));
      }
    }
    return m;
  }

  long rssBytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    throw new IOException("no VmRSS for " + pid());
  }

  /**
   * Bytes of live objects: the total of {@code jcmd GC.class_histogram}, which counts only what a
   * full GC leaves (more exact than the heap's used size, which moves with the collector's
   * regions).
   */
  long liveHeapBytes() throws Exception {
    String histogram = run("jcmd", Long.toString(pid()), "GC.class_histogram");
    for (String line : histogram.split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 3 && f[0].equals("Total")) {
        return Long.parseLong(f[2]);
      }
    }
    throw new IllegalStateException("no class histogram from " + pid() + ": " + histogram);
  }

  /** Live bytes by class name, from {@code jcmd GC.class_histogram} (after a full GC). */
  Map<String, Long> liveBytesByClass() throws Exception {
    Map<String, Long> m = new HashMap<>();
    for (String line : run("jcmd", Long.toString(pid()), "GC.class_histogram").split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        m.merge(f[3], Long.parseLong(f[2]), Long::sum);
      }
    }
    return m;
  }

  /** SIGTERM: the proxy writes its final report and exits 0. */
  int stop() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }

  Path report() {
    return report;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  private void waitListening() throws Exception {
    for (int i = 0; i < 1200; i++) {
      // Metrics are served once the proxy's port is bound: no test connection to the proxy.
      try (Socket s = new Socket("127.0.0.1", metrics)) {
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("the proxy exited: see its log");
        }
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the proxy did not start listening");
  }

  static int free() throws IOException {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
