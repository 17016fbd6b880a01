package dev.zkdigest.agent;

import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.report.GroupBy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's arguments: comma-separated {@code key=value} pairs named like the command's options
 * ({@code output=zk.json,format=json,interval=60s,metrics=127.0.0.1:9404}). A flag may be given
 * without a value ({@code show}). Parsing fails with one message naming the bad argument.
 *
 * @param output the final report's file, or null for the JVM's standard error
 * @param liveOutput where {@code --show} lines and interval reports go, or null for standard error
 * @param metrics where to serve Prometheus metrics, or null
 * @param duration stop after this long (write the report, remove the instrumentation), or null
 * @param bufferBytes the hand-off between the application's threads and the decoding thread
 * @param maxConnections connections tracked at once; more are not analysed, and counted
 * @param inProcess whether code in the same JVM (zkdigest-junit) reads interval reports through the
 *     bridge ({@code ZkdigestBridge.intervalReport()}); then no final report unless asked for
 * @param tapClients whether connections of ZooKeeper clients in this JVM are tapped
 * @param tapServers whether connections of a ZooKeeper server in this JVM are tapped
 */
public record AgentArgs(
    Path output,
    boolean json,
    Duration interval,
    InetSocketAddress metrics,
    boolean show,
    boolean summary,
    boolean debug,
    Duration duration,
    int maxFrame,
    int bufferBytes,
    int maxConnections,
    int top,
    GroupBy groupBy,
    Path liveOutput,
    boolean inProcess,
    boolean tapClients,
    boolean tapServers) {

  public static final int DEFAULT_BUFFER = 8 << 20;
  public static final int MIN_BUFFER = 64 << 10;
  public static final int MAX_BUFFER = 1 << 30;
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_TOP = 10;
  private static final String DEFAULT_METRICS_HOST = "127.0.0.1";

  static final List<String> KEYS =
      List.of(
          "output",
          "format",
          "interval",
          "metrics",
          "show",
          "summary",
          "debug",
          "duration",
          "max-frame",
          "buffer",
          "max-connections",
          "top",
          "group-by",
          "live-output",
          "in-process",
          "tap");

  public static final AgentArgs DEFAULTS = parse("");

  /** Whether the final report is wanted: always, unless only {@code show} was asked for. */
  public boolean wantsReport() {
    if (inProcess) {
      // The reader in the JVM has the traffic already; a report at exit would only repeat it.
      return summary || output != null;
    }
    return summary || !show || output != null || json;
  }

  public ProtocolConfig protocolConfig() {
    return ProtocolConfig.DEFAULTS.withMaxFrame(maxFrame);
  }

  /** Parses the agent's argument string ({@code null} or empty: every default). */
  public static AgentArgs parse(String args) {
    Map<String, String> kv = new LinkedHashMap<>();
    if (args != null && !args.isBlank()) {
      for (String part : args.split(",", -1)) {
        String p = part.trim();
        if (p.isEmpty()) {
          throw new IllegalArgumentException("empty argument in '" + args + "'");
        }
        int eq = p.indexOf('=');
        String key = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
        String value = eq < 0 ? null : p.substring(eq + 1).trim();
        if (!KEYS.contains(key)) {
          throw new IllegalArgumentException(
              "unknown argument '" + key + "' (known: " + String.join(", ", KEYS) + ")");
        }
        if (kv.containsKey(key)) {
          throw new IllegalArgumentException("argument '" + key + "' given twice");
        }
        kv.put(key, value);
      }
    }
    if (kv.containsKey("in-process") && kv.containsKey("interval") && flag(kv, "in-process")) {
      // Both would take "the traffic since the last interval", each stealing from the other.
      throw new IllegalArgumentException("in-process and interval cannot be used together");
    }
    return new AgentArgs(
        path(kv, "output"),
        format(kv.get("format")),
        duration(kv, "interval"),
        metrics(kv.get("metrics")),
        flag(kv, "show"),
        flag(kv, "summary"),
        flag(kv, "debug"),
        duration(kv, "duration"),
        intIn(kv, "max-frame", ProtocolConfig.DEFAULT_MAX_FRAME, 16, Integer.MAX_VALUE),
        bytesIn(kv, "buffer", DEFAULT_BUFFER, MIN_BUFFER, MAX_BUFFER),
        intIn(kv, "max-connections", DEFAULT_MAX_CONNECTIONS, 1, 1_000_000),
        intIn(kv, "top", DEFAULT_TOP, 0, 10_000),
        groupBy(kv.get("group-by")),
        path(kv, "live-output"),
        flag(kv, "in-process"),
        tap(kv.get("tap")) != TAP_SERVER,
        tap(kv.get("tap")) != TAP_CLIENT);
  }

  private static String required(Map<String, String> kv, String key) {
    String v = kv.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("argument '" + key + "' needs a value (" + key + "=...)");
    }
    return v;
  }

  private static Path path(Map<String, String> kv, String key) {
    if (!kv.containsKey(key)) {
      return null;
    }
    return Path.of(required(kv, key)).toAbsolutePath();
  }

  private static boolean flag(Map<String, String> kv, String key) {
    if (!kv.containsKey(key)) {
      return false;
    }
    String v = kv.get(key);
    if (v == null || v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException(key + ": expected true or false, got '" + v + "'");
  }

  private static boolean format(String v) {
    if (v == null || v.equalsIgnoreCase("text")) {
      return false;
    }
    if (v.equalsIgnoreCase("json")) {
      return true;
    }
    throw new IllegalArgumentException("format: expected text or json, got '" + v + "'");
  }

  private static final int TAP_BOTH = 0;
  private static final int TAP_CLIENT = 1;
  private static final int TAP_SERVER = 2;

  /** Which side's connections to tap: a client and its server in one JVM would count twice. */
  private static int tap(String v) {
    if (v == null || v.equalsIgnoreCase("both")) {
      return TAP_BOTH;
    }
    if (v.equalsIgnoreCase("client")) {
      return TAP_CLIENT;
    }
    if (v.equalsIgnoreCase("server")) {
      return TAP_SERVER;
    }
    throw new IllegalArgumentException("tap: expected client, server or both, got '" + v + "'");
  }

  private static GroupBy groupBy(String v) {
    if (v == null) {
      return GroupBy.PATTERN;
    }
    try {
      return GroupBy.parse(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "group-by: expected op, pattern, client or session, got '" + v + "'");
    }
  }

  private static int intIn(Map<String, String> kv, String key, int dflt, int min, int max) {
    if (!kv.containsKey(key)) {
      return dflt;
    }
    String v = required(kv, key);
    long n;
    try {
      n = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": expected a number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(key + ": must be between " + min + " and " + max);
    }
    return (int) n;
  }

  /** A byte count with an optional k, m or g suffix (powers of 1024). */
  private static int bytesIn(Map<String, String> kv, String key, int dflt, int min, int max) {
    if (!kv.containsKey(key)) {
      return dflt;
    }
    String v = required(kv, key).toLowerCase(Locale.ROOT);
    int shift = 0;
    if (v.endsWith("k") || v.endsWith("m") || v.endsWith("g")) {
      shift =
          switch (v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            default -> 30;
          };
      v = v.substring(0, v.length() - 1);
    }
    long n;
    try {
      n = Long.parseLong(v) << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": expected a size like 65536, 64k or 8m, got '" + kv.get(key) + "'");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(
          key + ": must be between " + (min >> 10) + "k and " + (max >> 20) + "m");
    }
    return (int) n;
  }

  /** {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}; a bare number is seconds. */
  static Duration parseDuration(String key, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1e3));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1e3));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + ": expected a duration like 500ms, 10s, 5m or 1h, got '" + value + "'");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(key + ": must be positive, got '" + value + "'");
    }
    return d;
  }

  private static Duration duration(Map<String, String> kv, String key) {
    return kv.containsKey(key) ? parseDuration(key, required(kv, key)) : null;
  }

  /** {@code [HOST:]PORT}, IPv6 hosts in brackets; the host defaults to 127.0.0.1. */
  static InetSocketAddress metrics(String v) {
    if (v == null) {
      return null;
    }
    if (v.isEmpty()) {
      throw new IllegalArgumentException("argument 'metrics' needs a value (metrics=[HOST:]PORT)");
    }
    String host = DEFAULT_METRICS_HOST;
    String port = v;
    if (v.startsWith("[")) {
      int close = v.indexOf("]:");
      if (close < 0) {
        throw new IllegalArgumentException("metrics: expected [HOST]:PORT, got '" + v + "'");
      }
      host = v.substring(1, close);
      port = v.substring(close + 2);
    } else if (v.indexOf(':') >= 0) {
      if (v.indexOf(':') != v.lastIndexOf(':')) {
        throw new IllegalArgumentException(
            "metrics: put an IPv6 address in brackets, e.g. [::1]:9404, got '" + v + "'");
      }
      host = v.substring(0, v.indexOf(':'));
      port = v.substring(v.indexOf(':') + 1);
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("metrics: expected a port number, got '" + v + "'");
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("metrics: port out of range in '" + v + "'");
    }
    return InetSocketAddress.createUnresolved(host, p);
  }
}
