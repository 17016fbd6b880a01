package dev.zkdigest.bench;

import dev.zkdigest.report.GroupBy;
import dev.zkdigest.report.HtmlReport;
import dev.zkdigest.report.JsonReport;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.TextReport;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * {@link DigestBench}'s reports of 100,000 classes timed by the rendering thread's CPU time, which
 * a machine shared with other work disturbs less than JMH's wall-clock time: {@code java -cp
 * "$BENCH_CP" dev.zkdigest.bench.RenderCpu [WARMUP] [RUNS]} prints the median and the least CPU
 * milliseconds per format.
 */
public final class RenderCpu {
  private static final int DEFAULT_WARMUP = 4;
  private static final int DEFAULT_RUNS = 7;
  private static final double NANOS_PER_MS = 1e6;

  private RenderCpu() {}

  public static void main(String[] args) {
    int warmup = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_WARMUP;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_RUNS;
    DigestBench bench = new DigestBench();
    bench.setup();
    ReportOptions opts = new ReportOptions("bench", List.of("x"), 10, GroupBy.PATTERN);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (String format : List.of("json", "text", "html")) {
      long[] cpu = new long[runs];
      long chars = 0;
      for (int i = 0; i < warmup + runs; i++) {
        DigestBench.CountingWriter counted = new DigestBench.CountingWriter();
        PrintWriter out = new PrintWriter(counted);
        long start = threads.getCurrentThreadCpuTime();
        switch (format) {
          case "json" -> JsonReport.render(bench.big, opts, out);
          case "text" -> TextReport.render(bench.big, opts, out);
          default -> HtmlReport.render(bench.big, opts, out);
        }
        out.flush();
        if (i >= warmup) {
          cpu[i - warmup] = threads.getCurrentThreadCpuTime() - start;
        }
        chars = counted.chars;
      }
      Arrays.sort(cpu);
      System.out.printf(
          "%s: median %.1f ms, least %.1f ms of CPU (%d chars)%n",
          format, cpu[runs / 2] / NANOS_PER_MS, cpu[0] / NANOS_PER_MS, chars);
    }
  }
}
