package dev.zkdigest.cli;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetException;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.TlsEngine;
import dev.zkdigest.proxy.ZkProxy;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code zkdigest proxy}: forward ZooKeeper traffic untouched and digest a copy. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "Run a transparent TCP proxy in front of ZooKeeper and digest the traffic through it.",
      "Point clients at the proxy's port(s); every byte is forwarded unchanged.",
      "TLS options apply to the --listen or --route before them; SIGHUP reloads certificates."
    })
final class ProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Routes and their TLS options, in command-line order (see {@link RouteBlocks}). */
  final RouteBlocks blocks = new RouteBlocks();

  // Each option below is a setter so that it is seen in order, after the route it applies to.
  // Picocli passes a repeated option's values so far, the last one being this occurrence's (and an
  // empty list before parsing, which is not an occurrence).

  @Option(
      names = "--listen",
      paramLabel = "[HOST:]PORT",
      description = "Where clients connect (host defaults to 127.0.0.1); goes with --upstream.")
  void listen(List<String> values) {
    if (values != null && !values.isEmpty()) {
      blocks.listen(last(values));
    }
  }

  @Option(names = "--upstream", paramLabel = "HOST:PORT", description = "The ZooKeeper server.")
  void upstream(List<String> values) {
    if (values != null && !values.isEmpty()) {
      blocks.upstream(last(values));
    }
  }

  @Option(
      names = "--route",
      paramLabel = "[HOST:]PORT=HOST:PORT",
      description = "A listening address and its upstream; repeat for each server of an ensemble.")
  void route(List<String> values) {
    if (values != null && !values.isEmpty()) {
      blocks.route(last(values));
    }
  }

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description = {
        "TLS towards clients on the route before it: the proxy's certificate chain (PEM),",
        "or a PKCS#12 keystore holding key and chain."
      })
  void tlsCert(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--tls-cert", last(values));
    }
  }

  @Option(names = "--tls-key", paramLabel = "FILE", description = "Its private key (PEM).")
  void tlsKey(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--tls-key", last(values));
    }
  }

  @Option(
      names = "--tls-password-file",
      paramLabel = "FILE",
      description = "The password of an encrypted key or of the keystore (its first line).")
  void tlsPasswordFile(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--tls-password-file", last(values));
    }
  }

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description = "Mutual TLS: clients must present a certificate from these CAs (PEM).")
  void tlsClientCa(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--tls-client-ca", last(values));
    }
  }

  @Option(
      names = "--upstream-tls",
      description = "TLS towards the route's ZooKeeper server (its secureClientPort).")
  void upstreamTls(boolean[] values) {
    if (values != null && values.length > 0) {
      blocks.tls("--upstream-tls", Boolean.TRUE);
    }
  }

  @Option(
      names = "--upstream-ca",
      paramLabel = "FILE",
      description = "CAs the server's certificate must chain to (PEM; default: the JVM's).")
  void upstreamCa(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--upstream-ca", last(values));
    }
  }

  @Option(
      names = "--upstream-cert",
      paramLabel = "FILE",
      description = "The certificate (PEM chain or PKCS#12) the proxy presents to the server.")
  void upstreamCert(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--upstream-cert", last(values));
    }
  }

  @Option(names = "--upstream-key", paramLabel = "FILE", description = "Its private key (PEM).")
  void upstreamKey(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--upstream-key", last(values));
    }
  }

  @Option(
      names = "--upstream-password-file",
      paramLabel = "FILE",
      description = "The password of an encrypted --upstream-key or of the keystore.")
  void upstreamPasswordFile(List<Path> values) {
    if (values != null && !values.isEmpty()) {
      blocks.tls("--upstream-password-file", last(values));
    }
  }

  @Option(
      names = "--upstream-insecure",
      description = "Accept a server certificate that does not name the upstream host (warns).")
  void upstreamInsecure(boolean[] values) {
    if (values != null && values.length > 0) {
      blocks.tls("--upstream-insecure", Boolean.TRUE);
    }
  }

  @Option(
      names = "--tls-engine",
      paramLabel = "auto|openssl|jdk",
      defaultValue = "auto",
      converter = EngineConverter.class,
      description = "TLS implementation: OpenSSL where it loads, else the JDK's (default: auto).")
  TlsEngine tlsEngine = TlsEngine.AUTO;

  private static <T> T last(List<T> values) {
    return values.get(values.size() - 1);
  }

  @Option(
      names = "--connect-timeout",
      paramLabel = "D",
      converter = Durations.class,
      defaultValue = "5s",
      description = "How long to wait for an upstream to accept (default: ${DEFAULT-VALUE}).")
  java.time.Duration connectTimeout;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Event loop threads; each connection stays on one (default: the number of cores).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Mixin OutputOptions output = new OutputOptions();

  @Mixin LiveOptions live = new LiveOptions();

  @Mixin BudgetOption budgetOption = new BudgetOption();

  static final class EngineConverter implements ITypeConverter<TlsEngine> {
    @Override
    public TlsEngine convert(String value) {
      try {
        return TlsEngine.valueOf(value.toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("expected auto, openssl or jdk, got '" + value + "'");
      }
    }
  }

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    List<Route> rs;
    if (threads < 1 || threads > 256) {
      throw new ParameterException(spec.commandLine(), "--threads must be between 1 and 256");
    }
    try {
      rs = blocks.routes();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    // Checked whole before the proxy listens: a typo fails before any traffic is read.
    Budget budget;
    try {
      budget = budgetOption.load();
    } catch (BudgetException e) {
      err.println("zkdigest: " + e.getMessage());
      return 2;
    }
    List<String> inputs =
        rs.stream().map(r -> addr(r.listen()) + "=" + addr(r.upstream())).toList();
    try (LiveSession session = new LiveSession(output, live, out, err)) {
      ZkProxy proxy;
      try {
        proxy =
            ZkProxy.start(
                rs,
                new ZkProxy.Options(
                    output.protocolConfig(), (int) connectTimeout.toMillis(), threads, tlsEngine),
                session::listenerForCurrentThread);
      } catch (IOException e) {
        err.println("zkdigest: " + e.getMessage());
        return 1;
      }
      try {
        session.gauges(proxy.stats()::asMap);
        session.start("proxy", inputs);
        proxy.tlsWarnings().forEach(w -> err.println("zkdigest: warning: " + w));
        for (Route r : rs) {
          if (r.upstreamTls() != null && r.upstreamTls().insecure()) {
            err.println(
                "zkdigest: warning: --upstream-insecure: the certificate of "
                    + addr(r.upstream())
                    + " is not checked against its host name; any certificate its CAs issued"
                    + " is accepted");
          }
        }
        for (int i = 0; i < rs.size(); i++) {
          err.println(
              "zkdigest: proxying "
                  + LiveSession.hostPort(proxy.boundAddresses().get(i))
                  + tlsNote(rs.get(i).listenerTls() != null)
                  + " -> "
                  + addr(rs.get(i).upstream())
                  + tlsNote(rs.get(i).upstreamTls() != null));
        }
        if (proxy.tlsEngine() != null) {
          err.println("zkdigest: TLS with " + proxy.tlsEngine() + "; SIGHUP reloads certificates");
          Signals.onHangUp(() -> reload(proxy, err));
        }
        err.flush();
        session.await();
      } finally {
        proxy.close();
      }
      BudgetResult verdicts = session.finish("proxy", inputs, null, budget);
      return verdicts == null ? 0 : BudgetOption.verdict(verdicts, output, err);
    }
  }

  private static String tlsNote(boolean tls) {
    return tls ? " (TLS)" : "";
  }

  /** SIGHUP: every route's certificates read again; what happened, one line each. */
  private static void reload(ZkProxy proxy, PrintWriter err) {
    ZkProxy.Reload r = proxy.reloadTls();
    synchronized (err) {
      r.warnings().forEach(w -> err.println("zkdigest: warning: " + w));
      r.failures()
          .forEach(f -> err.println("zkdigest: reload failed, old certificates kept: " + f));
      if (!r.reloaded().isEmpty()) {
        err.println("zkdigest: TLS certificates reloaded for " + String.join(", ", r.reloaded()));
      }
      err.flush();
    }
  }

  private static String addr(InetSocketAddress a) {
    String h = a.getHostString();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }
}
