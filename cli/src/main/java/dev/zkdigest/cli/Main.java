package dev.zkdigest.cli;

import dev.zkdigest.report.ReportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code zkdigest} command. Also accepts the original Python tool's flags: {@code -r FILE}
 * replays a capture, {@code -i IFACE} sniffs an interface, with {@code --servers}, {@code --show},
 * {@code --summary} and {@code --debug}.
 */
@Command(
    subcommands = {
      ReplayCommand.class,
      ProxyCommand.class,
      SniffCommand.class,
      AttachCommand.class,
      DemoCommand.class,
      MergeCommand.class,
      DiffCommand.class,
      GenerateCommand.class
    })
public final class Main extends TopCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-r", "--read"},
      paramLabel = "FILE",
      description = "Capture file to read (as the original tool; same as 'replay FILE').")
  List<Path> read = new ArrayList<>();

  @Option(
      names = {"-i", "--intf"},
      paramLabel = "IFACE",
      description = "Interface to capture from (as the original tool; same as 'sniff -i IFACE').")
  String intf;

  @Mixin ServerOptions serverOptions = new ServerOptions();

  @Mixin OutputOptions output = new OutputOptions();

  public static void main(String[] args) {
    int code;
    try {
      code = run(args);
    } catch (OutOfMemoryError e) {
      // Memory is bounded by design (README, "Memory bounds"); a heap below those bounds ends here.
      System.err.println(
          "zkdigest: out of memory with a heap of "
              + Runtime.getRuntime().maxMemory() / (1 << 20)
              + " MiB; give it more, e.g. JAVA_OPTS=-Xmx1g");
      code = 1;
    } catch (LinkageError | StackOverflowError e) {
      // A broken installation or a bug: still one line, with the stack only when asked for.
      System.err.println("zkdigest: internal error: " + oneLine(e));
      if (Boolean.getBoolean("zkdigest.stacktrace")) {
        e.printStackTrace();
      }
      code = 1;
    }
    System.exit(code);
  }

  /**
   * The subcommand of this name, or null. Picocli builds a command's model by reflection over its
   * annotations, every subcommand's with it: a command line that starts with a subcommand's name
   * builds that one only, under a top command without subcommands (about 50 ms of CPU less for a
   * replay, BENCHMARKS.md start-up). MainTest checks these names against the annotation's.
   */
  static Object subcommand(String name) {
    return switch (name) {
      case "replay" -> new ReplayCommand();
      case "proxy" -> new ProxyCommand();
      case "sniff" -> new SniffCommand();
      case "attach" -> new AttachCommand();
      case "demo" -> new DemoCommand();
      case "merge" -> new MergeCommand();
      case "diff" -> new DiffCommand();
      case "generate" -> new GenerateCommand();
      default -> null;
    };
  }

  /** Runs the command line and returns its exit code: 0 ok, 1 failure, 2 usage, 3 budget broken. */
  public static int run(String... args) {
    CommandLine cl = commandLine(args);
    return cl.execute(args);
  }

  /** The whole command, every subcommand built (help, completion, man pages, tests). */
  static CommandLine commandLine() {
    return handlers(new CommandLine(new Main()));
  }

  /** The command for these arguments: only the subcommand they name, when they start with one. */
  static CommandLine commandLine(String... args) {
    Object only = args.length > 0 ? subcommand(args[0]) : null;
    if (only == null) {
      return commandLine();
    }
    CommandLine cl = new CommandLine(new TopCommand());
    cl.addSubcommand(only);
    return handlers(cl);
  }

  private static CommandLine handlers(CommandLine cl) {
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("zkdigest: " + oneLine(ex));
          if (Boolean.getBoolean("zkdigest.stacktrace")) {
            ex.printStackTrace(commandLine.getErr());
          }
          return ex instanceof IllegalArgumentException ? 2 : 1;
        });
    // A usage error is one line naming the mistake and where the options are listed, not the
    // whole usage text, which would push the reason off the screen.
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine failed = ex.getCommandLine();
          failed
              .getErr()
              .println(
                  "zkdigest: "
                      + oneLine(ex)
                      + " (see '"
                      + failed.getCommandSpec().qualifiedName()
                      + " --help')");
          return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
    return cl;
  }

  static String oneLine(Throwable ex) {
    String msg = ex.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = ex.getClass().getSimpleName();
    }
    int nl = msg.indexOf('\n');
    return nl >= 0 ? msg.substring(0, nl) : msg;
  }

  @Override
  public Integer call() throws Exception {
    if (!read.isEmpty()) {
      ReplayCommand replay = new ReplayCommand();
      replay.spec = spec;
      replay.files = read;
      replay.serverOptions = serverOptions;
      replay.output = output;
      return replay.call();
    }
    if (intf != null) {
      SniffCommand sniff = new SniffCommand();
      sniff.spec = spec;
      sniff.iface = intf;
      sniff.snaplen = 262144;
      sniff.bufferSize = 32 << 20;
      sniff.queueSize = SniffCommand.DEFAULT_QUEUE_BYTES;
      sniff.serverOptions = serverOptions;
      sniff.output = output;
      return sniff.call();
    }
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"zkdigest " + ReportOptions.VERSION};
    }
  }
}
