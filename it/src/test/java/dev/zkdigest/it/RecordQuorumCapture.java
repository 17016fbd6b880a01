package dev.zkdigest.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Records a real capture of a three-server ensemble under write load, for replay benchmarks of
 * quorum decoding: tcpdump on loopback (client, quorum and election ports) from the first election
 * on, while clients spread over the three servers write as fast as 256 writes in flight each allow
 * (setData of 100 bytes), so every write is a PROPOSAL, two ACKs and two COMMITs between servers.
 *
 * <pre>benchmarks/record-quorum-capture.sh FILE [SECONDS=20] [CLIENTS=6]   (as root)</pre>
 */
public final class RecordQuorumCapture {
  private RecordQuorumCapture() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]).toAbsolutePath();
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int clients = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    Path dir = Files.createTempDirectory("zkdigest-ensemble");
    AtomicLong writes = new AtomicLong();
    QuorumPeers peers = new QuorumPeers(dir);
    String filter =
        "tcp port "
            + peers.clientPort
            + " or tcp port "
            + peers.quorumPort
            + " or tcp port "
            + peers.electionPort;
    try (peers;
        Tcpdump capture = Tcpdump.start(file, "lo", 262_144, filter)) {
      for (int sid = 1; sid <= QuorumPeers.SERVERS; sid++) {
        peers.start(sid);
      }
      peers.awaitLeader(java.time.Duration.ofSeconds(60), 1, 2, 3);
      try (ZooKeeper setup = Workload.connect(peers.connectString())) {
        for (int i = 0; i < clients; i++) {
          setup.create("/w" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int me = i;
        String server = QuorumPeers.host(1 + i % QuorumPeers.SERVERS) + ":" + peers.clientPort;
        Thread t = new Thread(() -> write(server, "/w" + me, end, writes));
        t.start();
        threads.add(t);
      }
      for (Thread t : threads) {
        t.join();
      }
      Thread.sleep(500); // the last commits reach the capture
    }
    System.out.printf(
        "%s: %d writes in %d s by %d clients; ports: client %d, quorum %d, election %d%n",
        file,
        writes.get(),
        seconds,
        clients,
        peers.clientPort,
        peers.quorumPort,
        peers.electionPort);
    // Beside the capture, for scripts: the ports to replay it with.
    Files.writeString(
        Path.of(file + ".ports"),
        peers.clientPort + " " + peers.quorumPort + " " + peers.electionPort + "\n");
  }

  private static void write(String server, String path, long end, AtomicLong writes) {
    try (ZooKeeper zk = Workload.connect(server)) {
      Semaphore inFlight = new Semaphore(256);
      byte[] data = new byte[100];
      while (System.nanoTime() < end) {
        inFlight.acquire();
        zk.setData(
            path,
            data,
            -1,
            (rc, p, ctx, stat) -> {
              if (rc == 0) {
                writes.incrementAndGet();
              }
              inFlight.release();
            },
            null);
      }
      inFlight.acquire(256);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
