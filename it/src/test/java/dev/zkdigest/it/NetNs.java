package dev.zkdigest.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace joined to the test's own namespace by a veth pair, for real network faults:
 * nftables rules inside it, qdiscs on the veth, the link taken down and up. Names and a /24 are
 * picked so that several test runs on one machine do not collide; {@link #close} removes it all.
 */
final class NetNs implements AutoCloseable {
  final String name;

  /** The veth end in the test's namespace, and the one inside. */
  final String outside;

  final String inside;

  /** Addresses: .1 outside, .2 inside. */
  final String outsideIp;

  final String insideIp;

  private NetNs(String name, String outside, String inside, String prefix) {
    this.name = name;
    this.outside = outside;
    this.inside = inside;
    this.outsideIp = prefix + ".1";
    this.insideIp = prefix + ".2";
  }

  /** A namespace {@code zkf<tag><n>} with a veth pair on a free 10.x.y.0/24. */
  static NetNs create(String tag) throws Exception {
    String prefix = freePrefix();
    int n = ThreadLocalRandom.current().nextInt(100_000);
    String name = "zkf" + tag + n;
    NetNs ns = new NetNs(name, "zo" + tag + n, "zi" + tag + n, prefix);
    Root.run("ip", "netns", "add", name);
    try {
      Root.run("ip", "link", "add", ns.outside, "type", "veth", "peer", "name", ns.inside);
      Root.run("ip", "link", "set", ns.inside, "netns", name);
      Root.run("ip", "addr", "add", ns.outsideIp + "/24", "dev", ns.outside);
      Root.run("ip", "link", "set", ns.outside, "up");
      ns.exec("ip", "addr", "add", ns.insideIp + "/24", "dev", ns.inside);
      ns.exec("ip", "link", "set", ns.inside, "up");
      ns.exec("ip", "link", "set", "lo", "up");
      ns.exec("ip", "route", "add", "default", "via", ns.outsideIp);
    } catch (Exception | AssertionError e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** A 10.x.y.0/24 that no route of this machine covers yet. */
  private static String freePrefix() throws Exception {
    String routes = Root.run("ip", "-4", "route", "show", "table", "all");
    for (int i = 0; i < 100; i++) {
      String p =
          "10."
              + (100 + ThreadLocalRandom.current().nextInt(150))
              + "."
              + ThreadLocalRandom.current().nextInt(1, 250);
      if (!routes.contains(p + ".")) {
        return p;
      }
    }
    throw new IllegalStateException("no free 10.x.y.0/24");
  }

  /** Runs a command inside the namespace, to its end. */
  String exec(String... cmd) throws Exception {
    return Root.run(inside(cmd));
  }

  /** The command line that runs {@code cmd} inside the namespace. */
  List<String> inside(String... cmd) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(List.of(cmd));
    return all;
  }

  /** nftables rules inside, from a script (nft -f). */
  void nft(String script) throws Exception {
    Path f = Files.createTempFile("zkdigest-nft", ".nft");
    try {
      Files.writeString(f, script);
      exec("nft", "-f", f.toString());
    } finally {
      Files.delete(f);
    }
  }

  /** The packets a named nftables counter has seen, inside. */
  long nftCounter(String table, String counter) throws Exception {
    String out = exec("nft", "list", "counter", "inet", table, counter);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("packets (\\d+)").matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  @Override
  public void close() throws Exception {
    // Deleting the namespace deletes the veth inside it, and with it its peer outside.
    new ProcessBuilder("ip", "netns", "del", name).inheritIO().start().waitFor();
    new ProcessBuilder("ip", "link", "del", outside)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }
}
