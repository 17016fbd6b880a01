package dev.zkdigest.cli;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.TrafficListeners;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import dev.zkdigest.report.ReportOptions;
import dev.zkdigest.report.ShowPrinter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code zkdigest demo}: an embedded ZooKeeper, the proxy in front of it, and a realistic workload
 * of real clients through the proxy; then the report. Needs nothing but Java.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded ZooKeeper, put the proxy in front of it, run a mixed workload of real"
            + " clients (ZooKeeper's and Curator's) through it, then print the report.")
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--duration",
      paramLabel = "D",
      converter = Durations.class,
      defaultValue = "10s",
      description = "How long the workload runs (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--clients",
      paramLabel = "N",
      defaultValue = "6",
      description = "Concurrent client threads (default: ${DEFAULT-VALUE}).")
  int clients;

  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (clients < 1 || clients > 1000) {
      err.println("zkdigest: --clients must be between 1 and 1000");
      return 2;
    }
    Recording recording = new Recording(output.digestLimits());
    ShowPrinter show = output.show ? new ShowPrinter(out, output.debug) : null;
    err.println("zkdigest demo: starting an embedded ZooKeeper and the proxy...");
    try (DemoZooKeeper zk = new DemoZooKeeper()) {
      InetSocketAddress upstream = zk.address();
      Route route =
          new Route(
              InetSocketAddress.createUnresolved("127.0.0.1", 0),
              InetSocketAddress.createUnresolved(
                  upstream.getAddress().getHostAddress(), upstream.getPort()));
      List<String> inputs;
      try (ZkProxy proxy =
          ZkProxy.start(
              List.of(route),
              new ZkProxy.Options(output.protocolConfig(), 5_000, 2),
              () -> {
                // Called on each event loop: its own recorder, the one writer of it.
                TrafficListener r = recording.forCurrentThread();
                return show == null ? r : TrafficListeners.of(List.of(r, show));
              })) {
        recording.frontEnd(proxy.stats()::asMap);
        InetSocketAddress at = proxy.boundAddresses().get(0);
        String connect = "127.0.0.1:" + at.getPort();
        inputs =
            List.of(
                connect + "=" + upstream.getAddress().getHostAddress() + ":" + upstream.getPort());
        err.printf(
            Locale.ROOT,
            "zkdigest demo: ZooKeeper on %s:%d, proxy on %s, %d clients for %ds%n",
            upstream.getAddress().getHostAddress(),
            upstream.getPort(),
            connect,
            clients,
            duration.toSeconds());
        try (DemoWorkload work = new DemoWorkload(connect)) {
          work.start(clients);
          progress(work, recording, err);
        }
        // Let the last replies and session closes go through before the proxy stops.
        Thread.sleep(300);
      }
      if (output.wantsReport()) {
        ReportWriter.write(
            recording.total(),
            new ReportOptions(
                "demo",
                inputs,
                output.top,
                output.groupBy,
                output.thresholds(),
                output.orderBy,
                output.limit,
                output.slowMicros()),
            output,
            out);
      }
    }
    out.flush();
    return 0;
  }

  private void progress(DemoWorkload work, Recording recording, java.io.PrintWriter err)
      throws InterruptedException {
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    boolean tty = System.console() != null;
    long lastPrinted = -1;
    while (System.nanoTime() < end) {
      Thread.sleep(Math.min(250, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
      long s = (System.nanoTime() - start) / 1_000_000_000L;
      DigestSnapshot now = recording.total();
      long requests = now.requests();
      long errors = now.errors();
      String line =
          String.format(
              Locale.ROOT,
              "zkdigest demo: %2ds/%ds  %,d requests seen by the proxy, %,d errors",
              s,
              duration.toSeconds(),
              requests,
              errors);
      if (tty) {
        err.print("\r" + line);
        err.flush();
      } else if (s != lastPrinted && (s % 2 == 0)) {
        err.println(line);
        lastPrinted = s;
      }
    }
    if (tty) {
      err.println();
    }
  }
}
