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
    name = "zkdigest",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Who asks ZooKeeper for what, how often, how slowly, and with which errors.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
      "0:Success.",
      "1:Failure (input that cannot be read, an address in use, ...).",
      "2:Usage: a wrong option, or a budget file that cannot be used.",
      "3:A --budget rule was broken or could not be decided."
    },
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
public final class Main implements Callable<Integer> {
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

  /** Runs the command line and returns its exit code: 0 ok, 1 failure, 2 usage, 3 budget broken. */
  public static int run(String... args) {
    CommandLine cl = commandLine();
    return cl.execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
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
