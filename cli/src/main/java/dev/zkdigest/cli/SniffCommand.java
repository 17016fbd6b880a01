package dev.zkdigest.cli;

import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.QuorumMatcher;
import dev.zkdigest.capture.QuorumTracker;
import dev.zkdigest.capture.ServerMatcher;
import dev.zkdigest.capture.TcpTracker;
import dev.zkdigest.quorum.QuorumRecorder;
import dev.zkdigest.sniffer.Interfaces;
import dev.zkdigest.sniffer.LiveCapture;
import dev.zkdigest.sniffer.LiveSource;
import dev.zkdigest.sniffer.QueuedCapture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code zkdigest sniff -i IFACE}: passive capture with libpcap, on the same core as replay. */
@Command(
    name = "sniff",
    mixinStandardHelpOptions = true,
    description = {
      "Capture ZooKeeper traffic on an interface with libpcap and digest it.",
      "Needs root, or java with cap_net_raw,cap_net_admin (see the README)."
    })
final class SniffCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-i", "--interface"},
      paramLabel = "IFACE",
      description = "Interface (any: all).")
  String iface;

  @Option(names = "--list", description = "List the interfaces that can be captured on.")
  boolean list;

  @Option(
      names = "--filter",
      paramLabel = "BPF",
      description = "Capture filter, whole (default: built from --port/--servers).")
  String filter;

  @Option(
      names = "--snaplen",
      paramLabel = "BYTES",
      defaultValue = "262144",
      description = "Bytes kept of each packet (default: ${DEFAULT-VALUE}).")
  int snaplen;

  @Option(
      names = "--buffer-size",
      paramLabel = "BYTES",
      defaultValue = "33554432",
      description = "Kernel capture buffer (default: ${DEFAULT-VALUE}).")
  int bufferSize;

  @Option(
      names = "--queue-size",
      paramLabel = "BYTES",
      defaultValue = "" + DEFAULT_QUEUE_BYTES,
      description =
          "With --via libpcap-queue: packets held between capture and decoding; past it they are"
              + " dropped and counted as queue_drops (default: ${DEFAULT-VALUE}).")
  long queueSize = DEFAULT_QUEUE_BYTES;

  /** Room for a burst of decoding work without kernel drops (BENCHMARKS.md, live capture). */
  static final long DEFAULT_QUEUE_BYTES = 64L << 20;

  /** Below a few packets the queue would drop nearly everything. */
  private static final long MIN_QUEUE_BYTES = 4096;

  @Option(
      names = "--write",
      paramLabel = "FILE",
      description = "Also save what was captured as a pcap that replay and Wireshark read.")
  Path write;

  /** libpcap writes a pcap stream (in C) that the replay path decodes: the default. */
  static final String VIA_STREAM = "libpcap";

  /** libpcap calls into Java for each packet, handed to decoding through a bounded queue. */
  static final String VIA_QUEUE = "libpcap-queue";

  @Option(
      names = "--via",
      paramLabel = "ENGINE",
      description =
          "How packets reach decoding: libpcap (a pcap stream libpcap writes, decoded as replay"
              + " decodes; when decoding falls behind, the kernel drops) or libpcap-queue (packet"
              + " by packet through --queue-size; when decoding falls behind, the queue drops)"
              + " (default: ${DEFAULT-VALUE}).")
  String via = VIA_STREAM;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Decoding threads (--via libpcap); the connections are split between them (default:"
              + " ${DEFAULT-VALUE}; 1 with --show).")
  int threads = 1;

  @Mixin ServerOptions serverOptions = new ServerOptions();

  @Mixin OutputOptions output = new OutputOptions();

  @Mixin LiveOptions live = new LiveOptions();

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (list) {
      try {
        Interfaces.describe().forEach(out::println);
        out.flush();
        return 0;
      } catch (CaptureException e) {
        err.println("zkdigest: " + e.getMessage());
        return 1;
      }
    }
    if (iface == null) {
      throw new ParameterException(spec.commandLine(), "give an interface with -i (or --list)");
    }
    if (snaplen < 64 || bufferSize < 65536) {
      throw new ParameterException(spec.commandLine(), "--snaplen or --buffer-size too small");
    }
    if (!via.equals(VIA_STREAM) && !via.equals(VIA_QUEUE)) {
      throw new ParameterException(
          spec.commandLine(), "--via must be " + VIA_STREAM + " or " + VIA_QUEUE);
    }
    if (threads < 1 || threads > 64) {
      throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 64");
    }
    if (queueSize < MIN_QUEUE_BYTES) {
      throw new ParameterException(
          spec.commandLine(), "--queue-size must be at least " + MIN_QUEUE_BYTES + " bytes");
    }
    ServerMatcher matcher;
    QuorumMatcher quorumFlows;
    try {
      matcher = serverOptions.matcher();
      quorumFlows = serverOptions.quorumMatcher();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    String bpf = filter != null ? filter : withQuorum(matcher.bpf(), quorumFlows);
    QuorumRecorder quorum = new QuorumRecorder(serverOptions.ensemble().identities());
    List<String> inputs = List.of(iface + " (" + bpf + ")");
    try (LiveSession session = new LiveSession(output, live, out, err)) {
      LiveCapture.Options options =
          new LiveCapture.Options(iface, bpf, snaplen, bufferSize, queueSize, write);
      QuorumTracker quorumTracker = new QuorumTracker(quorumFlows, matcher, quorum);
      LiveSource capture;
      try {
        if (via.equals(VIA_STREAM)) {
          // --show prints in time order: one timeline, one thread. Otherwise one tracker (and
          // recorder) per decoding thread, connection ids kept apart, as in replay.
          int shards = output.show ? 1 : threads;
          List<TcpTracker> trackers = new ArrayList<>();
          int maxConnections = Math.max(1, serverOptions.maxConnections() / shards);
          for (int i = 0; i < shards; i++) {
            trackers.add(
                new TcpTracker(
                        matcher, output.protocolConfig(), session.newListener(), maxConnections)
                    .connectionIds(i + 1, shards));
          }
          capture = LiveCapture.start(options, trackers, quorumTracker);
        } else {
          TcpTracker tracker =
              new TcpTracker(
                  matcher,
                  output.protocolConfig(),
                  session.newListener(),
                  serverOptions.maxConnections());
          capture = QueuedCapture.start(options, tracker, quorumTracker);
        }
      } catch (CaptureException e) {
        err.println("zkdigest: " + e.getMessage());
        return 1;
      }
      try {
        session.gauges(capture::stats);
        session.start("sniff", inputs);
        err.println("zkdigest: capturing on " + iface + " (" + bpf + ")");
        session.await();
      } finally {
        capture.close();
      }
      session.finish("sniff", inputs, quorum.snapshot(), null);
      if (capture.failure() != null) {
        err.println("zkdigest: capture stopped early: " + Main.oneLine(capture.failure()));
        return 1;
      }
    }
    return 0;
  }

  /** The client filter ({@code tcp and (port 2181)}) widened to the quorum ports and servers. */
  static String withQuorum(String clientBpf, QuorumMatcher quorum) {
    String prefix = "tcp and (";
    if (!clientBpf.startsWith(prefix) || !clientBpf.endsWith(")")) {
      return clientBpf;
    }
    String terms = clientBpf.substring(prefix.length(), clientBpf.length() - 1);
    return prefix + terms + " or " + String.join(" or ", quorum.bpfTerms()) + ")";
  }
}
