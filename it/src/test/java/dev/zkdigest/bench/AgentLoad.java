package dev.zkdigest.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The agent's overhead, side by side in one run: ZooKeeper's Java client (async getData of 100
 * bytes, up to 256 in flight per session) at a fixed rate and at saturation, once with the agent in
 * the client JVM and once without; then the same load against a ZooKeeper server with and without
 * the agent. Throughput, latency percentiles, and the CPU seconds per million operations of the JVM
 * that has (or has not) the agent, from /proc. Variants alternate within each round.
 *
 * <p>Run with {@code benchmarks/agent-overhead.sh [RATE] [SECONDS] [CLIENTS] [ROUNDS]}.
 * Environment: {@code PIN=1} runs the measured JVM on CPU 1 and the other side on CPU 0; {@code
 * WARMUP=S} seconds at saturation before measuring (default 5); {@code AGENT_ARGS} extra agent
 * arguments.
 */
public final class AgentLoad {
  private static final int WINDOW = 256;
  private static final String PATH = "/load";

  private AgentLoad() {}

  /** One measurement: operations, seconds, latencies in microseconds, CPU ticks of the JVM. */
  record Measured(long ops, double seconds, Histogram latency, long cpuTicks, long agentTicks) {
    Measured plus(Measured o) {
      Histogram h = latency.copy();
      h.add(o.latency);
      return new Measured(
          ops + o.ops, seconds + o.seconds, h, cpuTicks + o.cpuTicks, agentTicks + o.agentTicks);
    }

    /** CPU of the agent's own threads (decoding, mostly) per million operations. */
    double agentSecPerMop() {
      return agentTicks / 100.0 / (ops / 1e6);
    }

    double opsPerSec() {
      return ops / seconds;
    }

    double cpuSecPerMop() {
      return cpuTicks / 100.0 / (ops / 1e6);
    }

    String encode() {
      ByteBuffer b = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
      int n = latency.encodeIntoCompressedByteBuffer(b);
      return String.format(
          Locale.ROOT,
          "RESULT %d %.6f %d %d %s",
          ops,
          seconds,
          cpuTicks,
          agentTicks,
          Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n)));
    }

    static Measured decode(String line) throws DataFormatException {
      String[] f = line.split(" ");
      Histogram h =
          Histogram.decodeFromCompressedByteBuffer(
              ByteBuffer.wrap(Base64.getDecoder().decode(f[5])), 0);
      return new Measured(
          Long.parseLong(f[1]),
          Double.parseDouble(f[2]),
          h,
          Long.parseLong(f[3]),
          Long.parseLong(f[4]));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("client")) {
      client(args);
      return;
    }
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
    int warmup = Integer.parseInt(System.getenv().getOrDefault("WARMUP", "5"));
    boolean pin = "1".equals(System.getenv("PIN"));
    Path agentJar =
        Path.of(System.getenv().getOrDefault("AGENT_JAR", "agent/target/zkdigest-agent.jar"))
            .toAbsolutePath();
    Path work = Files.createTempDirectory("zkdigest-agent-load");
    String agentArgs =
        "format=json,output=" + work.resolve("report.json") + extra(System.getenv("AGENT_ARGS"));
    System.out.printf(
        Locale.ROOT,
        "%d sessions, async getData of 100 bytes, %d ops/s and saturation, %d round(s) of %d s"
            + " each, %d s warm-up per JVM%s%n",
        clients,
        rate,
        rounds,
        seconds,
        warmup,
        pin ? "; the JVM measured on CPU 1, the other side on CPU 0" : "; nothing pinned");

    Map<String, Measured> results = new LinkedHashMap<>();
    // Client side: one server without the agent; the load JVM with and without it.
    try (Server server = Server.start(work.resolve("server-for-clients"), pin ? "0" : null, null)) {
      server.seed();
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 2; k++) {
          boolean agent = (k + r) % 2 == 1;
          List<String> cmd = new ArrayList<>(taskset(pin ? "1" : null));
          cmd.addAll(List.of(java(), "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
          if (agent) {
            cmd.add("-javaagent:" + agentJar + "=" + agentArgs);
          }
          cmd.addAll(
              List.of(
                  "-cp",
                  System.getProperty("java.class.path"),
                  AgentLoad.class.getName(),
                  "client",
                  server.connect(),
                  String.valueOf(clients),
                  String.valueOf(rate),
                  String.valueOf(seconds),
                  String.valueOf(warmup)));
          Process p =
              new ProcessBuilder(cmd).redirectError(work.resolve("client.err").toFile()).start();
          List<String> lines = new ArrayList<>();
          try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
              if (line.startsWith("RESULT")) {
                lines.add(line);
              }
            }
          }
          if (p.waitFor() != 0 || lines.size() != 2) {
            throw new IllegalStateException(
                "load JVM failed: " + Files.readString(work.resolve("client.err")));
          }
          String side = agent ? "client, agent" : "client";
          results.merge(side + "|rate", Measured.decode(lines.get(0)), Measured::plus);
          results.merge(side + "|saturation", Measured.decode(lines.get(1)), Measured::plus);
        }
      }
    }
    // Server side: this JVM is the load; the server with and without the agent.
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 2; k++) {
        boolean agent = (k + r) % 2 == 1;
        Path dir = work.resolve("server-" + r + "-" + k);
        try (Server server =
            Server.start(
                dir, pin ? "1" : null, agent ? "-javaagent:" + agentJar + "=" + agentArgs : null)) {
          server.seed();
          run(server.connect(), clients, 0, warmup, server.pid());
          String side = agent ? "server, agent" : "server";
          results.merge(
              side + "|rate",
              run(server.connect(), clients, rate, seconds, server.pid()),
              Measured::plus);
          results.merge(
              side + "|saturation",
              run(server.connect(), clients, 0, seconds, server.pid()),
              Measured::plus);
        }
      }
    }
    print(results, rate);
  }

  private static String extra(String args) {
    return args == null || args.isBlank() ? "" : "," + args;
  }

  private static void print(Map<String, Measured> results, int rate) {
    System.out.printf(
        Locale.ROOT,
        "%-14s %-10s %10s %8s %8s %8s %11s %13s%n",
        "jvm",
        "load",
        "ops/s",
        "p50 us",
        "p99 us",
        "p999 us",
        "cpu s/Mops",
        "agent s/Mops");
    results.forEach(
        (k, m) -> {
          String[] key = k.split("\\|");
          System.out.printf(
              Locale.ROOT,
              "%-14s %-10s %10.0f %8d %8d %8d %11.2f %13.2f%n",
              key[0],
              key[1].equals("rate") ? rate + "/s" : key[1],
              m.opsPerSec(),
              m.latency().getValueAtPercentile(50),
              m.latency().getValueAtPercentile(99),
              m.latency().getValueAtPercentile(99.9),
              m.cpuSecPerMop(),
              m.agentSecPerMop());
        });
    for (String side : new String[] {"client", "server"}) {
      for (String load : new String[] {"rate", "saturation"}) {
        Measured without = results.get(side + "|" + load);
        Measured with = results.get(side + ", agent|" + load);
        System.out.printf(
            Locale.ROOT,
            "agent in the %s, %s: throughput %.1f%%, p99 %+d us, CPU per op %+.1f%%%n",
            side,
            load.equals("rate") ? rate + "/s" : "saturation",
            100.0 * with.opsPerSec() / without.opsPerSec(),
            with.latency().getValueAtPercentile(99) - without.latency().getValueAtPercentile(99),
            100.0 * (with.cpuSecPerMop() / without.cpuSecPerMop() - 1));
      }
    }
  }

  /** The load JVM: warm-up, then the fixed rate, then saturation; one RESULT line for each. */
  private static void client(String[] args) throws Exception {
    String connect = args[1];
    int clients = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    int warmup = Integer.parseInt(args[5]);
    long self = ProcessHandle.current().pid();
    run(connect, clients, 0, warmup, self);
    System.out.println(run(connect, clients, rate, seconds, self).encode());
    System.out.println(run(connect, clients, 0, seconds, self).encode());
    System.exit(0);
  }

  static Measured run(String connect, int clients, int rate, int seconds, long pid)
      throws Exception {
    List<ZooKeeper> zks = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      zks.add(connect(connect));
    }
    ConcurrentHistogram lat = new ConcurrentHistogram(3);
    AtomicLong done = new AtomicLong();
    long cpu0 = cpuTicks(pid);
    long agent0 = agentTicks(pid);
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    List<Thread> threads = new ArrayList<>();
    for (ZooKeeper zk : zks) {
      Thread t = new Thread(() -> drive(zk, rate / Math.max(1, clients), end, lat, done));
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    long cpu1 = cpuTicks(pid);
    long agent1 = agentTicks(pid);
    for (ZooKeeper zk : zks) {
      zk.close();
    }
    return new Measured(done.get(), elapsed, lat, cpu1 - cpu0, agent1 - agent0);
  }

  private static void drive(ZooKeeper zk, int rate, long end, Histogram lat, AtomicLong done) {
    Semaphore window = new Semaphore(WINDOW);
    long interval = rate > 0 ? 1_000_000_000L / rate : 0;
    long next = System.nanoTime();
    try {
      while (System.nanoTime() < end) {
        if (interval > 0) {
          next += interval;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        window.acquire();
        long t0 = System.nanoTime();
        zk.getData(
            PATH,
            false,
            (rc, path, ctx, data, stat) -> {
              lat.recordValue((System.nanoTime() - t0) / 1000);
              done.incrementAndGet();
              window.release();
            },
            null);
      }
      window.acquire(WINDOW);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static ZooKeeper connect(String connect) throws Exception {
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper zk =
        new ZooKeeper(
            connect,
            30_000,
            e -> {
              if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                up.countDown();
              }
            });
    if (!up.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no session with " + connect);
    }
    return zk;
  }

  private static long cpuTicks(long pid) throws Exception {
    // User and system time of all the process's threads, in clock ticks, from /proc/PID/stat.
    String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** CPU ticks of the agent's threads (named zkdigest-agent-...; the kernel keeps 15 chars). */
  private static long agentTicks(long pid) throws Exception {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path t : tasks.toList()) {
        try {
          if (Files.readString(t.resolve("comm")).startsWith("zkdigest-agent")) {
            String[] f = Files.readString(t.resolve("stat")).split("\\) ")[1].split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (java.io.IOException gone) {
          // the thread ended
        }
      }
    }
    return ticks;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static List<String> taskset(String cpu) {
    return cpu == null ? List.of() : List.of("taskset", "-c", cpu);
  }

  /** A ZooKeeper server (3.9, NIO) in a JVM of its own, optionally with the agent. */
  private static final class Server implements AutoCloseable {
    private final Process process;
    private final int port;

    private Server(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static Server start(Path dir, String cpu, String agent) throws Exception {
      Files.createDirectories(dir.resolve("data"));
      int port;
      try (var s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path cfg = dir.resolve("zoo.cfg");
      Files.writeString(
          cfg,
          "dataDir="
              + dir.resolve("data")
              + "\nclientPortAddress=127.0.0.1\nclientPort="
              + port
              + "\nadmin.enableServer=false\nmaxClientCnxns=0\n4lw.commands.whitelist=srvr\n");
      List<String> cmd = new ArrayList<>(taskset(cpu));
      cmd.addAll(
          List.of(
              java(),
              "-Xmx1g",
              "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
              "-Dzookeeper.admin.enableServer=false"));
      if (agent != null) {
        cmd.add(agent);
      }
      cmd.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              "org.apache.zookeeper.server.ZooKeeperServerMain",
              cfg.toString()));
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("server.log").toFile())
              .start();
      for (int i = 0; i < 600; i++) {
        if (serving(port)) {
          return new Server(p, port);
        }
        Thread.sleep(100);
      }
      p.destroyForcibly();
      throw new IllegalStateException("ZooKeeper did not start: see " + dir.resolve("server.log"));
    }

    String connect() {
      return "127.0.0.1:" + port;
    }

    /** The port accepts before the server serves: ask it ({@code srvr}). */
    static boolean serving(int port) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        s.setSoTimeout(2_000); // a server still starting may take the question and never answer
        s.getOutputStream().write("srvr".getBytes(StandardCharsets.US_ASCII));
        String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        return answer.contains("Zookeeper version");
      } catch (Exception e) {
        return false;
      }
    }

    long pid() {
      // under taskset the JVM replaced it in place (taskset execs)
      return process.pid();
    }

    void seed() throws Exception {
      try (ZooKeeper zk = AgentLoad.connect(connect())) {
        zk.create(PATH, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
