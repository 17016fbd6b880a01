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
import dev.zkdigest.sniffer.StreamCapture;
import dev.zkdigest.sniffer.TcpdumpCapture;
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
          "Packets held between capture and decoding; past it they are dropped and counted as"
              + " queue_drops (default: ${DEFAULT-VALUE}).")
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

  /** Which engine takes packets off the interface. */
  enum Via {
    /** libpcap in this JVM (pcap4j), a capture thread handing packets to a decoding thread. */
    libpcap,
    /** A tcpdump child process whose pcap stream the replay path decodes. */
    tcpdump,
    /** libpcap in this JVM writing a pcap stream in C, which the replay path decodes. */
    stream
  }

  @Option(
      names = "--via",
      paramLabel = "ENGINE",
      description =
          "Capture engine: libpcap (in the JVM) or tcpdump (a child process; --queue-size does"
              + " not apply) (default: ${DEFAULT-VALUE}).")
  Via via = Via.libpcap;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Decoding threads with --via tcpdump; the connections are split between them"
              + " (default: ${DEFAULT-VALUE}).")
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
        if (via != Via.libpcap) {
          // One tracker (and recorder) per decoding thread, connection ids kept apart as in replay.
          // --show prints in time order: one timeline, one thread.
          int shards = output.show ? 1 : threads;
          List<TcpTracker> trackers = new ArrayList<>();
          int maxConnections = Math.max(1, serverOptions.maxConnections() / shards);
          for (int i = 0; i < shards; i++) {
            trackers.add(
                new TcpTracker(
                        matcher, output.protocolConfig(), session.newListener(), maxConnections)
                    .connectionIds(i + 1, shards));
          }
          capture =
              via == Via.tcpdump
                  ? TcpdumpCapture.start(options, trackers, quorumTracker)
                  : StreamCapture.start(options, trackers, quorumTracker);
        } else {
          TcpTracker tracker =
              new TcpTracker(
                  matcher,
                  output.protocolConfig(),
                  session.newListener(),
                  serverOptions.maxConnections());
          capture = LiveCapture.start(options, tracker, quorumTracker);
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
