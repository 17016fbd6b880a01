package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ProtocolConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference captures' counts from a second source: tshark reassembles nothing here, it only
 * lists each TCP segment's payload, and a few lines below read the 4-byte frame lengths and the
 * request and reply headers of {@code zookeeper.jute} (xid and type; xid, zxid and err). Requests
 * by opcode, and errors by code of the replies whose request is in the capture, must equal what
 * replay reports, so every expected value in {@link SharedCapturesTest} (and {@code MainTest}'s
 * {@code NONODE} count for dump.pcap) has this source besides the captures' README.
 */
class SharedCapturesCrossCheckTest {
  private static final int CLIENT_PORT = 2181;

  /** Counts by opcode name (the handshake as connect) and by error name, read off the payloads. */
  private record Counts(Map<String, Long> requests, Map<String, Long> errors) {}

  /** One direction of one TCP stream, in order: bytes not yet parsed, the next sequence number. */
  private static final class Direction {
    byte[] pending = new byte[0];
    long next = -1;
    boolean first = true;
    boolean fourLetterWord;
  }

  private static Counts fromTshark(String capture) throws Exception {
    List<String> lines =
        Tshark.fieldsWhere(
            SharedCaptures.file(capture),
            "tcp.port == " + CLIENT_PORT,
            "tcp.stream",
            "tcp.dstport",
            "tcp.flags.syn",
            "tcp.seq",
            "tcp.payload");
    Map<String, Direction> directions = new HashMap<>();
    Set<String> fromStart = new HashSet<>();
    Map<String, Long> requests = new TreeMap<>();
    Map<String, Long> errors = new TreeMap<>();
    // Requests awaiting their reply, per stream and xid: only matched replies' errors count.
    Map<String, Map<Integer, Integer>> awaiting = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split("\t", -1);
      String stream = f[0];
      boolean toServer = f[1].equals(Integer.toString(CLIENT_PORT));
      if (f[2].equals("1")) {
        fromStart.add(stream);
      }
      if (f.length < 5 || f[4].isEmpty()) {
        continue;
      }
      Direction d = directions.computeIfAbsent(stream + toServer, k -> new Direction());
      long seq = Long.parseLong(f[3]);
      byte[] payload = HexFormat.of().parseHex(f[4]);
      if (d.next >= 0 && seq + payload.length <= d.next) {
        continue; // bytes seen already: a retransmission
      }
      d.next = seq + payload.length;
      if (d.first && payload.length >= 4 && isLetters(payload)) {
        d.fourLetterWord = true; // "stat", "conf": not framed
      }
      if (d.fourLetterWord
          || (!toServer
              && directions.get(stream + true) != null
              && directions.get(stream + true).fourLetterWord)) {
        continue;
      }
      byte[] all = new byte[d.pending.length + payload.length];
      System.arraycopy(d.pending, 0, all, 0, d.pending.length);
      System.arraycopy(payload, 0, all, d.pending.length, payload.length);
      ByteBuffer b = ByteBuffer.wrap(all);
      while (b.remaining() >= 4 && b.remaining() >= 4 + b.getInt(b.position())) {
        int length = b.getInt();
        ByteBuffer frame = b.slice(b.position(), length);
        b.position(b.position() + length);
        boolean handshake = d.first && fromStart.contains(stream);
        d.first = false;
        Map<Integer, Integer> open = awaiting.computeIfAbsent(stream, k -> new HashMap<>());
        if (toServer) {
          String op = handshake ? "connect" : Op.of(frame.getInt(4)).zkName();
          requests.merge(op, 1L, Long::sum);
          if (!handshake) {
            open.merge(frame.getInt(0), 1, Integer::sum);
          }
        } else if (!handshake && open.getOrDefault(frame.getInt(0), 0) > 0) {
          open.merge(frame.getInt(0), -1, Integer::sum);
          if (frame.getInt(12) != 0) {
            errors.merge(KeeperErrors.name(frame.getInt(12)), 1L, Long::sum);
          }
        }
      }
      d.pending = new byte[b.remaining()];
      b.get(d.pending);
    }
    return new Counts(requests, errors);
  }

  private static boolean isLetters(byte[] p) {
    String s = new String(p, 0, 4, StandardCharsets.US_ASCII);
    return s.chars().allMatch(Character::isLowerCase);
  }

  private static Counts fromReplay(String capture) throws Exception {
    Digest digest = new Digest();
    TcpTracker t =
        new TcpTracker(ServerMatcher.ports(CLIENT_PORT), ProtocolConfig.DEFAULTS, digest);
    CaptureReplay.run(List.of(SharedCaptures.file(capture)), t);
    Map<String, Long> requests = new TreeMap<>();
    Map<String, Long> errors = new TreeMap<>();
    var s = digest.snapshot();
    s.ops()
        .forEach(
            (op, st) -> {
              if (st.requests() > 0) {
                requests.put(op.zkName(), st.requests());
              }
              st.errorsByCode()
                  .forEach((code, n) -> errors.merge(KeeperErrors.name(code), n, Long::sum));
            });
    return new Counts(requests, errors);
  }

  private static final List<String> CAPTURES =
      List.of(
          "auth.pcap",
          "connect_replies.pcap",
          "connects.pcap",
          "cpp-basic.pcap",
          "create-pyzookeeper.pcap",
          "create.pcap",
          "dump.pcap",
          "fire_watches.pcap",
          "get_children_with_four_letter.pcap",
          "getdata_watches.pcap",
          "multi.pcap",
          "omni.pcap",
          "reconfig.pcap",
          "set_data.pcap",
          "setwatches.pcap");

  /** tshark's side for every capture, read side by side: most of its time is starting up. */
  private static final Map<String, Counts> TSHARK = new ConcurrentHashMap<>();

  @BeforeAll
  static void readAllWithTshark() throws Exception {
    Tshark.require();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (String c : CAPTURES) {
        all.add(pool.submit(() -> TSHARK.put(c, fromTshark(c))));
      }
      for (Future<?> f : all) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdown();
    }
  }

  static List<String> captures() {
    return CAPTURES;
  }

  @ParameterizedTest
  @MethodSource("captures")
  void replayCountsWhatTsharksPayloadsHold(String capture) throws Exception {
    assertThat(fromReplay(capture)).isEqualTo(TSHARK.get(capture));
  }
}
