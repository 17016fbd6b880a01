package dev.zkdigest.cli;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.budget.BudgetException;
import dev.zkdigest.budget.BudgetResult;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.ZkProxy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code zkdigest proxy}: forward ZooKeeper traffic untouched and digest a copy. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "Run a transparent TCP proxy in front of ZooKeeper and digest the traffic through it.",
      "Point clients at the proxy's port(s); every byte is forwarded unchanged."
    })
final class ProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "[HOST:]PORT",
      description = "Where clients connect (host defaults to 127.0.0.1).")
  String listen;

  @Option(names = "--upstream", paramLabel = "HOST:PORT", description = "The ZooKeeper server.")
  String upstream;

  @Option(
      names = "--route",
      paramLabel = "[HOST:]PORT=HOST:PORT",
      description = "A listening address and its upstream; repeat for each server of an ensemble.")
  List<String> routes = new ArrayList<>();

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

  List<Route> parseRoutes() {
    List<Route> all = new ArrayList<>();
    if (listen != null || upstream != null) {
      if (listen == null || upstream == null) {
        throw new ParameterException(spec.commandLine(), "--listen and --upstream go together");
      }
      all.add(
          new Route(Route.parseAddress(listen, "127.0.0.1"), Route.parseAddress(upstream, null)));
    }
    for (String r : routes) {
      all.add(Route.parse(r));
    }
    if (all.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "give --listen and --upstream, or one --route per server");
    }
    return all;
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
      rs = parseRoutes();
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
                    output.protocolConfig(), (int) connectTimeout.toMillis(), threads),
                session::listenerForCurrentThread);
      } catch (IOException e) {
        err.println("zkdigest: " + e.getMessage());
        return 1;
      }
      try {
        session.gauges(proxy.stats()::asMap);
        session.start("proxy", inputs);
        for (int i = 0; i < rs.size(); i++) {
          err.println(
              "zkdigest: proxying "
                  + LiveSession.hostPort(proxy.boundAddresses().get(i))
                  + " -> "
                  + addr(rs.get(i).upstream()));
        }
        session.await();
      } finally {
        proxy.close();
      }
      BudgetResult verdicts = session.finish("proxy", inputs, budget);
      return verdicts == null ? 0 : BudgetOption.verdict(verdicts, output, err);
    }
  }

  private static String addr(InetSocketAddress a) {
    String h = a.getHostString();
    return (h.contains(":") ? "[" + h + "]" : h) + ":" + a.getPort();
  }
}
