package dev.zkdigest.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A real ensemble of three ZooKeeper servers, each its own JVM ({@code QuorumPeerMain} with a
 * generated configuration), on 127.0.0.1, 127.0.0.2 and 127.0.0.3 so they share port numbers
 * without clashing. Servers are asked about themselves with the {@code srvr} and {@code mntr}
 * four-letter words: what they say is the test's reference.
 */
final class QuorumPeers implements AutoCloseable {
  static final int SERVERS = 3;

  /**
   * Proposals a leader keeps in memory for DIFF syncs ({@code zookeeper.commitLogCount}, which
   * cannot be set lower): a learner that missed more, with DIFF from the transaction log switched
   * off, needs SNAP.
   */
  static final int COMMIT_LOG_COUNT = 500;

  final int quorumPort = Ports.free();
  final int electionPort = Ports.free();
  final int clientPort = Ports.free();
  private final Path dir;
  private final Process[] processes = new Process[SERVERS + 1];

  QuorumPeers(Path dir) throws IOException {
    this.dir = dir;
    for (int sid = 1; sid <= SERVERS; sid++) {
      Path data = dir.resolve("data" + sid);
      Files.createDirectories(data);
      Files.writeString(data.resolve("myid"), sid + "\n");
      StringBuilder cfg = new StringBuilder();
      cfg.append("tickTime=500\ninitLimit=20\nsyncLimit=10\n");
      cfg.append("dataDir=").append(data).append('\n');
      cfg.append("clientPort=").append(clientPort).append('\n');
      cfg.append("clientPortAddress=").append(host(sid)).append('\n');
      cfg.append("4lw.commands.whitelist=srvr,mntr\n");
      cfg.append("admin.enableServer=false\n");
      for (int s = 1; s <= SERVERS; s++) {
        cfg.append("server.")
            .append(s)
            .append('=')
            .append(host(s))
            .append(':')
            .append(quorumPort)
            .append(':')
            .append(electionPort)
            .append('\n');
      }
      Files.writeString(config(sid), cfg);
    }
  }

  static String host(int sid) {
    return "127.0.0." + sid;
  }

  Path config(int sid) {
    return dir.resolve("zoo" + sid + ".cfg");
  }

  String connectString() {
    List<String> all = new ArrayList<>();
    for (int sid = 1; sid <= SERVERS; sid++) {
      all.add(host(sid) + ":" + clientPort);
    }
    return String.join(",", all);
  }

  void start(int sid) throws IOException {
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx128m",
            "-XX:TieredStopAtLevel=1",
            "-Dzookeeper.admin.enableServer=false",
            // No DIFF from the transaction log either: a learner that missed more than the
            // proposals in memory gets a snapshot.
            "-Dzookeeper.snapshotSizeFactor=-1",
            "-cp",
            cp,
            "org.apache.zookeeper.server.quorum.QuorumPeerMain",
            config(sid).toString());
    Path log = dir.resolve("server" + sid + ".log");
    processes[sid] =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
  }

  /** Kills the server at once, as a crash would (SIGKILL). */
  void kill(int sid) throws InterruptedException {
    Process p = processes[sid];
    if (p != null) {
      p.destroyForcibly();
      p.waitFor();
      processes[sid] = null;
    }
  }

  /** The server's answer to a four-letter word, as {@code key: value} / {@code key\tvalue}. */
  Map<String, String> ask(int sid, String word) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host(sid), clientPort), 1_000);
      s.setSoTimeout(2_000);
      OutputStream out = s.getOutputStream();
      out.write(word.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      in.transferTo(all);
      Map<String, String> m = new HashMap<>();
      for (String line : all.toString(StandardCharsets.UTF_8).split("\n")) {
        int sep = line.indexOf(word.equals("mntr") ? '\t' : ':');
        if (sep > 0) {
          m.put(line.substring(0, sep).trim(), line.substring(sep + 1).trim());
        }
      }
      return m;
    } catch (IOException e) {
      return Map.of();
    }
  }

  /** "leader", "follower", or null when the server does not serve. */
  String mode(int sid) {
    return ask(sid, "srvr").get("Mode");
  }

  /** The epoch of the server's last zxid, from {@code srvr}. */
  long epoch(int sid) {
    String zxid = ask(sid, "srvr").get("Zxid");
    return Long.decode(zxid) >>> 32;
  }

  /** The id of the leader, once the servers listed agree there is exactly one. */
  int awaitLeader(Duration within, int... among) throws InterruptedException {
    int[] leader = new int[1];
    await(
        within,
        () -> {
          int leaders = 0;
          int followers = 0;
          for (int sid : among) {
            String mode = mode(sid);
            if ("leader".equals(mode)) {
              leaders++;
              leader[0] = sid;
            } else if ("follower".equals(mode)) {
              followers++;
            }
          }
          return leaders == 1 && leaders + followers == among.length;
        });
    return leader[0];
  }

  static void await(Duration within, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within);
      }
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (int sid = 1; sid <= SERVERS; sid++) {
      kill(sid);
    }
  }
}
