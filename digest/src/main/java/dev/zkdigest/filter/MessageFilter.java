package dev.zkdigest.filter;

import dev.zkdigest.budget.PathGlob;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which messages a report keeps ({@code --since}, {@code --until}, {@code --filter}): a time window
 * and, per field, a list of accepted values (a message must match one value of every field given).
 *
 * @param sinceNanos epoch nanoseconds from which messages count, or {@link Long#MIN_VALUE}
 * @param untilNanos epoch nanoseconds before which they count, or {@link Long#MAX_VALUE}
 * @param errors error codes (0 for OK) whose replies count; empty for any
 */
public record MessageFilter(
    long sinceNanos,
    long untilNanos,
    List<Op> ops,
    List<PathGlob> paths,
    List<Cidr> clients,
    List<Long> sessions,
    List<Integer> errors) {

  public static final MessageFilter ALL =
      new MessageFilter(
          Long.MIN_VALUE, Long.MAX_VALUE, List.of(), List.of(), List.of(), List.of(), List.of());

  public MessageFilter {
    ops = List.copyOf(ops);
    paths = List.copyOf(paths);
    clients = List.copyOf(clients);
    sessions = List.copyOf(sessions);
    errors = List.copyOf(errors);
  }

  /** An address block: {@code 10.0.0.0/8}, {@code ::1/128}, or one address. */
  public record Cidr(byte[] network, int bits) {
    public static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String host = slash < 0 ? text : text.substring(0, slash);
      if (!host.matches("[0-9a-fA-F:.]+")) {
        throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
      }
      byte[] addr;
      try {
        addr = InetAddress.getByName(host).getAddress();
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP address or CIDR block: '" + text + "'");
      }
      int bits = addr.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        if (bits < 0 || bits > addr.length * 8) {
          throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
      }
      return new Cidr(addr, bits);
    }

    /** Whether the address (as a front end writes it: dotted or IPv6 text) is in this block. */
    public boolean contains(String ip) {
      byte[] a;
      try {
        if (!ip.matches("[0-9a-fA-F:.%]+")) {
          return false;
        }
        a = InetAddress.getByName(ip).getAddress();
      } catch (UnknownHostException e) {
        return false;
      }
      if (a.length != network.length) {
        return false;
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((a[i / 8] & mask) != (network[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Adds {@code --filter} settings, each {@code FIELD=VALUE[,VALUE...]}: {@code op=getData}, {@code
   * path=/app/*}, {@code client=10.0.0.0/8}, {@code session=0x1234}, {@code error=NONODE} (or
   * {@code OK}).
   *
   * @throws IllegalArgumentException with a one-line reason
   */
  public MessageFilter with(List<String> settings) {
    List<Op> o = new ArrayList<>(ops);
    List<PathGlob> p = new ArrayList<>(paths);
    List<Cidr> c = new ArrayList<>(clients);
    List<Long> s = new ArrayList<>(sessions);
    List<Integer> e = new ArrayList<>(errors);
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            "--filter takes FIELD=VALUE (op, path, client, session, error), got '" + setting + "'");
      }
      String field = setting.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      for (String v : setting.substring(eq + 1).split(",")) {
        String value = v.trim();
        switch (field) {
          case "op" -> {
            Op op = Op.byName(value);
            if (op == null) {
              throw new IllegalArgumentException("--filter: unknown op '" + value + "'");
            }
            o.add(op);
          }
          case "path" -> p.add(PathGlob.of(value));
          case "client" -> c.add(Cidr.parse(value));
          case "session" -> {
            try {
              s.add(
                  value.startsWith("0x")
                      ? Long.parseUnsignedLong(value.substring(2), 16)
                      : Long.parseLong(value));
            } catch (NumberFormatException ex) {
              throw new IllegalArgumentException("--filter: bad session id '" + value + "'");
            }
          }
          case "error" -> e.add(errorCode(value));
          default ->
              throw new IllegalArgumentException(
                  "--filter: unknown field '"
                      + field
                      + "' (known: op, path, client, session, error)");
        }
      }
    }
    return new MessageFilter(sinceNanos, untilNanos, o, p, c, s, e);
  }

  /** This filter with a time window. */
  public MessageFilter between(long since, long until) {
    return new MessageFilter(since, until, ops, paths, clients, sessions, errors);
  }

  private static int errorCode(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (n.equals("OK")) {
      return KeeperErrors.OK;
    }
    try {
      int code = KeeperErrors.code(n);
      if (code != KeeperErrors.OK) {
        return code;
      }
    } catch (RuntimeException ignored) {
      // not a name: a number, perhaps
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("--filter: unknown error code '" + name + "'");
    }
  }

  public boolean isAll() {
    return equals(ALL);
  }

  boolean inWindow(long nanos) {
    return nanos >= sinceNanos && nanos < untilNanos;
  }

  /** Whether a request passes every field but the error (known only at its reply). */
  boolean request(String clientIp, long session, Op op, String path) {
    if (!ops.isEmpty() && !ops.contains(op)) {
      return false;
    }
    if (!paths.isEmpty() && (path == null || paths.stream().noneMatch(g -> g.matches(path)))) {
      return false;
    }
    if (!clients.isEmpty() && clients.stream().noneMatch(b -> b.contains(clientIp))) {
      return false;
    }
    return sessions.isEmpty() || sessions.contains(session);
  }

  boolean error(int code) {
    return errors.isEmpty() || errors.contains(code);
  }

  boolean byError() {
    return !errors.isEmpty();
  }

  /** Whether connection-level counts (opens, bytes) are kept: only when no field narrows. */
  boolean keepsConnections() {
    return ops.isEmpty() && paths.isEmpty() && sessions.isEmpty() && errors.isEmpty();
  }
}
