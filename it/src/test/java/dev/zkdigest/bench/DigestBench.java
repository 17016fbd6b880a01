package dev.zkdigest.bench;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recorder;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Digest update per message, and report rendering for 100k classes. */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DigestBench {
  ConnectionMeta conn = new ConnectionMeta(1, "10.0.0.1", 40000, "10.0.0.2", 2181, 0, true);
  Digest digest;
  ZkRequest[] requests;
  ZkRequest[] same;
  ZkReply reply;
  int i;
  DigestSnapshot big;

  /** The same digest behind its single-writer recorder (what every front end records through). */
  Recorder recorder;

  @Setup(Level.Trial)
  public void setup() {
    digest = new Digest();
    requests = new ZkRequest[1024];
    for (int k = 0; k < requests.length; k++) {
      requests[k] =
          new ZkRequest(
              k,
              Op.GET_DATA,
              "/app/service-" + (k % 50) + "/node-" + k,
              new RequestBody.Watch(false),
              40,
              1_000_000L * k,
              true);
    }
    reply = new ZkReply(1, 5, 0, new ReplyBody.Data(100), 200, 0, true);
    same = new ZkRequest[1024];
    for (int k = 0; k < same.length; k++) {
      // A new string each time, as the decoder makes one per request.
      same[k] =
          new ZkRequest(
              k,
              Op.GET_DATA,
              new String("/app/service-7/config"),
              new RequestBody.Watch(false),
              40,
              1_000_000L * k,
              true);
    }
    recorder = new Recording(Digest.Limits.DEFAULTS).newRecorder();
    Digest bigDigest = new Digest(new Digest.Limits(200_000, 10_000, 10_000, 1_000));
    for (int k = 0; k < 100_000; k++) {
      ZkRequest r =
          new ZkRequest(
              k,
              Op.GET_DATA,
              "/c" + Integer.toString(k, 36) + "x/y",
              RequestBody.None.INSTANCE,
              40,
              k,
              true);
      bigDigest.request(conn, 1, r);
      bigDigest.exchange(
          conn, 1, r, new ZkReply(k, 1, 0, ReplyBody.None.INSTANCE, 100, k + 500 + k % 900, true));
    }
    big = bigDigest.snapshot();
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void requestAndExchange() {
    ZkRequest r = requests[i++ & 1023];
    digest.request(conn, 1, r);
    digest.exchange(conn, 1, r, reply);
  }

  /** As {@link #requestAndExchange}, through the recorder's phase-flip critical sections. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void requestAndExchangeThroughRecorder() {
    ZkRequest r = requests[i++ & 1023];
    recorder.request(conn, 1, r);
    recorder.exchange(conn, 1, r, reply);
  }

  /** A client asking for the same path again and again (polling a config node, say). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public void requestAndExchangeSamePath() {
    ZkRequest r = same[i++ & 1023];
    digest.request(conn, 1, r);
    digest.exchange(conn, 1, r, reply);
  }

  /** A report renderer's signature, as TextReport's, JsonReport's and HtmlReport's. */
  private interface Renderer {
    void render(DigestSnapshot s, dev.zkdigest.report.ReportOptions opts, PrintWriter out);
  }

  /** The report of 100,000 classes into a writer that counts and discards. */
  private long renderBig(Renderer r) {
    CountingWriter w = new CountingWriter();
    r.render(
        big,
        new dev.zkdigest.report.ReportOptions(
            "bench", List.of("x"), 10, dev.zkdigest.report.GroupBy.PATTERN),
        new PrintWriter(w));
    return w.chars;
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long renderTextReportOf100kClasses() {
    return renderBig(dev.zkdigest.report.TextReport::render);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long renderJsonReportOf100kClasses() {
    return renderBig(dev.zkdigest.report.JsonReport::render);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long renderHtmlReportOf100kClasses() {
    return renderBig(dev.zkdigest.report.HtmlReport::render);
  }

  /**
   * Counts what is written and keeps nothing, as a report streamed to a file costs: the benchmark
   * measures rendering, not the growth of a 100 MB in-memory buffer.
   */
  static final class CountingWriter extends java.io.Writer {
    long chars;

    @Override
    public void write(char[] buf, int off, int len) {
      chars += len;
    }

    @Override
    public void write(String str, int off, int len) {
      chars += len;
    }

    @Override
    public void write(int c) {
      chars++;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
