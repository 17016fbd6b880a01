package dev.zkdigest.cli;

import dev.zkdigest.proxy.ListenerTls;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.UpstreamTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy's routes as the command line gives them, in order: each {@code --route}, or {@code
 * --listen} with {@code --upstream}, opens a route, and the TLS options that follow it apply to
 * that route alone (so plain and TLS routes can share one process). Errors are kept, not thrown,
 * because picocli calls the setters while it parses; {@link #routes()} reports the first.
 */
final class RouteBlocks {
  /** One route as given, before its addresses and files are checked. */
  private static final class Block {
    final String route; // --route LISTEN=UPSTREAM, or null for --listen/--upstream
    String listen;
    String upstream;
    Path tlsCert;
    Path tlsKey;
    Path tlsPasswordFile;
    Path tlsClientCa;
    boolean upstreamTlsOn;
    Path upstreamCa;
    Path upstreamCert;
    Path upstreamKey;
    Path upstreamPasswordFile;
    boolean upstreamInsecure;

    Block(String route) {
      this.route = route;
    }

    String name() {
      return route != null ? "--route " + route : "--listen " + listen;
    }
  }

  private final List<Block> blocks = new ArrayList<>();
  private String error;

  void route(String spec) {
    blocks.add(new Block(spec));
  }

  void listen(String address) {
    Block b = current();
    if (b == null || b.route != null || b.listen != null) {
      b = new Block(null);
      blocks.add(b);
    }
    b.listen = address;
  }

  void upstream(String address) {
    Block b = current();
    if (b == null || b.route != null || b.upstream != null) {
      b = new Block(null);
      blocks.add(b);
    }
    b.upstream = address;
  }

  /** A TLS option: it applies to the route before it, and may be given once per route. */
  void tls(String option, Object value) {
    Block b = current();
    if (b == null) {
      fail(option + " applies to the --listen or --route before it; give it after one");
      return;
    }
    boolean again =
        switch (option) {
          case "--tls-cert" -> set(b.tlsCert, () -> b.tlsCert = (Path) value);
          case "--tls-key" -> set(b.tlsKey, () -> b.tlsKey = (Path) value);
          case "--tls-password-file" ->
              set(b.tlsPasswordFile, () -> b.tlsPasswordFile = (Path) value);
          case "--tls-client-ca" -> set(b.tlsClientCa, () -> b.tlsClientCa = (Path) value);
          case "--upstream-tls" -> flag(b.upstreamTlsOn, () -> b.upstreamTlsOn = true);
          case "--upstream-ca" -> set(b.upstreamCa, () -> b.upstreamCa = (Path) value);
          case "--upstream-cert" -> set(b.upstreamCert, () -> b.upstreamCert = (Path) value);
          case "--upstream-key" -> set(b.upstreamKey, () -> b.upstreamKey = (Path) value);
          case "--upstream-password-file" ->
              set(b.upstreamPasswordFile, () -> b.upstreamPasswordFile = (Path) value);
          case "--upstream-insecure" -> flag(b.upstreamInsecure, () -> b.upstreamInsecure = true);
          default -> throw new IllegalStateException(option);
        };
    if (again) {
      fail(option + " is given twice for " + b.name());
    }
  }

  private static boolean set(Object old, Runnable assign) {
    assign.run();
    return old != null;
  }

  private static boolean flag(boolean old, Runnable assign) {
    assign.run();
    return old;
  }

  private Block current() {
    return blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
  }

  private void fail(String message) {
    if (error == null) {
      error = message;
    }
  }

  /**
   * The routes, checked.
   *
   * @throws IllegalArgumentException with a one-line message for the user
   */
  List<Route> routes() {
    if (error != null) {
      throw new IllegalArgumentException(error);
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("give --listen and --upstream, or one --route per server");
    }
    List<Route> out = new ArrayList<>();
    for (Block b : blocks) {
      Route r;
      if (b.route != null) {
        r = Route.parse(b.route);
      } else {
        if (b.listen == null || b.upstream == null) {
          throw new IllegalArgumentException("--listen and --upstream go together");
        }
        r =
            new Route(
                Route.parseAddress(b.listen, "127.0.0.1"), Route.parseAddress(b.upstream, null));
      }
      out.add(r.withTls(listenerTls(b), upstreamTls(b)));
    }
    return out;
  }

  private static ListenerTls listenerTls(Block b) {
    if (b.tlsCert == null) {
      for (Object o : new Object[] {b.tlsKey, b.tlsPasswordFile, b.tlsClientCa}) {
        if (o != null) {
          throw new IllegalArgumentException(
              "TLS towards clients needs --tls-cert (on " + b.name() + ")");
        }
      }
      return null;
    }
    return new ListenerTls(b.tlsCert, b.tlsKey, b.tlsPasswordFile, b.tlsClientCa);
  }

  private static UpstreamTls upstreamTls(Block b) {
    if (!b.upstreamTlsOn) {
      String stray =
          b.upstreamCa != null
              ? "--upstream-ca"
              : b.upstreamCert != null
                  ? "--upstream-cert"
                  : b.upstreamKey != null
                      ? "--upstream-key"
                      : b.upstreamPasswordFile != null
                          ? "--upstream-password-file"
                          : b.upstreamInsecure ? "--upstream-insecure" : null;
      if (stray != null) {
        throw new IllegalArgumentException(
            stray + " is for a TLS upstream: add --upstream-tls (on " + b.name() + ")");
      }
      return null;
    }
    if (b.upstreamCert == null && (b.upstreamKey != null || b.upstreamPasswordFile != null)) {
      throw new IllegalArgumentException(
          (b.upstreamKey != null ? "--upstream-key" : "--upstream-password-file")
              + " needs --upstream-cert (on "
              + b.name()
              + ")");
    }
    return new UpstreamTls(
        b.upstreamCa, b.upstreamCert, b.upstreamKey, b.upstreamPasswordFile, b.upstreamInsecure);
  }
}
