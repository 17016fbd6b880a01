package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * What the findings need beyond the profile, kept as mergeable state: re-reads after watch events
 * (herds), reads repeated without a watch (polling), large frames, connection lifetimes per client
 * (churn), and per class the first error and the slowest request. Immutable; merges exactly like
 * the rest of {@link DigestSnapshot}: every table keeps the keys of smallest {@link StableHash} up
 * to its cap ({@link Caps}), and every value adds associatively (sums, minima, maxima, sketches).
 */
public final class Usage {
  /**
   * Caps on distinct keys of each table (past them the keys of larger hash are dropped).
   *
   * @param herds (event type, path, second) groups of re-reads
   * @param polls (session, op, path) series of reads without a watch
   * @param large (op, path) pairs with a frame or a child list past the floors
   */
  public record Caps(int herds, int polls, int large) {
    public static final Caps DEFAULTS = new Caps(2_000, 5_000, 1_000);
  }

  /** Sessions remembered per herd group (exact up to this many, estimated past it). */
  public static final int HERD_SESSIONS = 128;

  /** Clients named per group of evidence. */
  public static final int CLIENTS = 8;

  /**
   * A re-read counts towards a herd when it follows the watch event by at most this much: later, it
   * is not the event's doing.
   */
  public static final long HERD_REREAD_NANOS = 1_000_000_000L;

  /** Re-reads are grouped by event type, path and the second of the event. */
  public static final long HERD_SLOT_NANOS = 1_000_000_000L;

  /** Reads without a watch of one path kept as a series once a session made this many. */
  public static final int POLL_MIN_RECORDED = 3;

  /** Frames from this size on are kept per (op, path) for large_payload. */
  public static final int LARGE_FLOOR_BYTES = 64 * 1024;

  /** Child lists from this length on are kept per (op, path). */
  public static final int CHILDREN_FLOOR = 1_000;

  /** A session id as reports write it ({@code 0x...}); {@code -} for one not seen (negative). */
  public static String sessionName(long session) {
    return session <= 0 ? "-" : "0x" + Long.toHexString(session);
  }

  /** One message, as {@code --show} prints it. */
  public record Sample(long timeNanos, String client, long session, int xid) {
    static final Comparator<Sample> ORDER =
        Comparator.comparingLong(Sample::timeNanos)
            .thenComparing(Sample::client)
            .thenComparingLong(Sample::session)
            .thenComparingInt(Sample::xid);

    static Sample first(Sample a, Sample b) {
      return a == null ? b : b == null ? a : ORDER.compare(a, b) <= 0 ? a : b;
    }
  }

  /** At most {@link #CLIENTS} client addresses, those of smallest hash, sorted by hash. */
  public record Few(List<String> names) {
    public static final Few NONE = new Few(List.of());

    public Few {
      names = List.copyOf(names);
    }

    static Few of(String name) {
      return new Few(List.of(name));
    }

    Few plus(Few o) {
      if (o.names.isEmpty() || o.equals(this)) {
        return this;
      }
      List<String> all = new ArrayList<>(names);
      for (String n : o.names) {
        if (!all.contains(n)) {
          all.add(n);
        }
      }
      all.sort(Comparator.comparingLong(StableHash::of).thenComparing(Comparator.naturalOrder()));
      return new Few(all.subList(0, Math.min(CLIENTS, all.size())));
    }
  }

  /** Watch events of one type on one path in one second: which sessions re-read the path. */
  public record HerdKey(String type, String path, long slotNanos) {
    long rank() {
      return StableHash.pair(StableHash.of(type + " " + path), StableHash.mix(slotNanos));
    }
  }

  /**
   * @param rereads reads of the path that followed the event on the same connection
   * @param sessions the sessions that re-read (their count: {@code sessions.count()})
   * @param sessionIds a few of them, as {@code 0x...}
   * @param firstNanos the earliest event
   * @param lastNanos the latest re-read
   * @param example the first re-read
   */
  public record Herd(
      long rereads,
      DigestSnapshot.Sketch sessions,
      Few sessionIds,
      Few clients,
      long firstNanos,
      long lastNanos,
      Sample example) {
    Herd plus(Herd o) {
      return new Herd(
          rereads + o.rereads,
          sessions.merge(o.sessions, HERD_SESSIONS),
          sessionIds.plus(o.sessionIds),
          clients.plus(o.clients),
          Math.min(firstNanos, o.firstNanos),
          Math.max(lastNanos, o.lastNanos),
          Sample.first(example, o.example));
    }
  }

  /** Reads of one path by one session with no watch set. */
  public record PollKey(long session, Op op, String path) {
    long rank() {
      return StableHash.pair(StableHash.mix(session), PathTable.hash(op, path));
    }
  }

  /**
   * A series of reads without a watch; gaps in milliseconds between consecutive ones.
   *
   * @param gaps gaps measured (reads minus one per connection that made the series)
   */
  public record Poll(
      long reads,
      long gaps,
      long sumGapMs,
      long sumGapSqMs,
      long minGapMs,
      long maxGapMs,
      long firstNanos,
      long lastNanos,
      Sample example) {
    Poll plus(Poll o) {
      return new Poll(
          reads + o.reads,
          gaps + o.gaps,
          sumGapMs + o.sumGapMs,
          sumGapSqMs + o.sumGapSqMs,
          Math.min(minGapMs, o.minGapMs),
          Math.max(maxGapMs, o.maxGapMs),
          Math.min(firstNanos, o.firstNanos),
          Math.max(lastNanos, o.lastNanos),
          Sample.first(example, o.example));
    }

    public double meanGapMs() {
      return gaps == 0 ? 0 : (double) sumGapMs / gaps;
    }

    /** Standard deviation of the gaps over their mean: 0 for a perfectly regular timer. */
    public double gapVariation() {
      if (gaps < 2 || sumGapMs == 0) {
        return 0;
      }
      double mean = meanGapMs();
      double var = Math.max(0, (double) sumGapSqMs / gaps - mean * mean);
      return Math.sqrt(var) / mean;
    }
  }

  /** An op on one raw path. */
  public record LargeKey(Op op, String path) {
    long rank() {
      return PathTable.hash(op, path);
    }
  }

  /**
   * Frames of at least {@link #LARGE_FLOOR_BYTES} and child lists of at least {@link
   * #CHILDREN_FLOOR}, as distributions (sizes in bytes, lengths in children).
   *
   * @param largest the message of the largest frame
   */
  public record Large(
      Latency requestBytes,
      Latency replyBytes,
      Latency children,
      Few clients,
      long largestBytes,
      Sample largest) {
    Large plus(Large o) {
      Sample l;
      long lb;
      if (largestBytes != o.largestBytes) {
        l = largestBytes > o.largestBytes ? largest : o.largest;
        lb = Math.max(largestBytes, o.largestBytes);
      } else {
        l = Sample.first(largest, o.largest);
        lb = largestBytes;
      }
      return new Large(
          Timeline.sumOf(List.of(requestBytes, o.requestBytes)),
          Timeline.sumOf(List.of(replyBytes, o.replyBytes)),
          Timeline.sumOf(List.of(children, o.children)),
          clients.plus(o.clients),
          lb,
          l);
    }
  }

  /**
   * Connections of one client: lifetimes (milliseconds) of the sessions seen from open to
   * closeSession, how long those that sent nothing but pings were seen (to their close or the end
   * of the input), and reconnects (a handshake naming an existing session).
   */
  public record Churn(
      long opened,
      long reconnects,
      long firstOpenNanos,
      long lastOpenNanos,
      Latency lifetimesMs,
      Latency idleLifetimesMs) {
    Churn plus(Churn o) {
      return new Churn(
          opened + o.opened,
          reconnects + o.reconnects,
          Math.min(firstOpenNanos, o.firstOpenNanos),
          Math.max(lastOpenNanos, o.lastOpenNanos),
          Timeline.sumOf(List.of(lifetimesMs, o.lifetimesMs)),
          Timeline.sumOf(List.of(idleLifetimesMs, o.idleLifetimesMs)));
    }
  }

  /** One class's first failed request and its slowest one. */
  public record ClassSamples(Sample firstError, Sample slowest, long slowestUs) {
    ClassSamples plus(ClassSamples o) {
      Sample s;
      long us;
      if (slowestUs != o.slowestUs) {
        s = slowestUs > o.slowestUs ? slowest : o.slowest;
        us = Math.max(slowestUs, o.slowestUs);
      } else {
        s = Sample.first(slowest, o.slowest);
        us = slowestUs;
      }
      return new ClassSamples(Sample.first(firstError, o.firstError), s, us);
    }
  }

  static final Comparator<HerdKey> HERD_ORDER =
      Comparator.comparingLong(HerdKey::rank).thenComparing(HerdKey::toString);
  static final Comparator<PollKey> POLL_ORDER =
      Comparator.comparingLong(PollKey::rank).thenComparing(PollKey::toString);
  static final Comparator<LargeKey> LARGE_ORDER =
      Comparator.comparingLong(LargeKey::rank).thenComparing(LargeKey::toString);
  static final Comparator<String> CLIENT_ORDER =
      Comparator.comparingLong(StableHash::of).thenComparing(Comparator.naturalOrder());

  public static final Usage EMPTY = new Usage(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  private final Map<HerdKey, Herd> herds;
  private final Map<PollKey, Poll> polls;
  private final Map<LargeKey, Large> large;
  private final Map<String, Churn> churn;
  private final Map<ClassKey, ClassSamples> samples;

  public Usage(
      Map<HerdKey, Herd> herds,
      Map<PollKey, Poll> polls,
      Map<LargeKey, Large> large,
      Map<String, Churn> churn,
      Map<ClassKey, ClassSamples> samples) {
    this.herds = sortedCopy(herds, HERD_ORDER);
    this.polls = sortedCopy(polls, POLL_ORDER);
    this.large = sortedCopy(large, LARGE_ORDER);
    this.churn = sortedCopy(churn, CLIENT_ORDER);
    this.samples =
        sortedCopy(samples, Comparator.comparing(ClassKey::op).thenComparing(ClassKey::pattern));
  }

  private static <K, V> Map<K, V> sortedCopy(Map<K, V> m, Comparator<K> order) {
    Map<K, V> t = new TreeMap<>(order);
    t.putAll(m);
    return Collections.unmodifiableMap(new LinkedHashMap<>(t));
  }

  public Map<HerdKey, Herd> herds() {
    return herds;
  }

  public Map<PollKey, Poll> polls() {
    return polls;
  }

  public Map<LargeKey, Large> large() {
    return large;
  }

  /** Per client address, with {@code {other}} past the cap on clients. */
  public Map<String, Churn> churn() {
    return churn;
  }

  /** Per class, with each op's {@code {other}}. */
  public Map<ClassKey, ClassSamples> samples() {
    return samples;
  }

  /** All of them together: what one digest of everything would hold. */
  static Usage merge(List<Usage> all, Caps caps, int clientCap, Set<ClassKey> keptClasses) {
    Map<ClassKey, ClassSamples> samples = new HashMap<>();
    for (Usage u : all) {
      u.samples.forEach(
          (k, v) ->
              samples.merge(
                  k.isOther() || keptClasses.contains(k) ? k : ClassKey.other(k.op()),
                  v,
                  ClassSamples::plus));
    }
    return new Usage(
        smallest(all, u -> u.herds, caps.herds(), HERD_ORDER, Herd::plus),
        smallest(all, u -> u.polls, caps.polls(), POLL_ORDER, Poll::plus),
        smallest(all, u -> u.large, caps.large(), LARGE_ORDER, Large::plus),
        DigestSnapshot.capped(
            all.stream().map(u -> u.churn).toList(),
            clientCap,
            Digest.OTHER::equals,
            StableHash::of,
            k -> Digest.OTHER,
            l -> l.stream().reduce(Churn::plus).orElseThrow()),
        samples);
  }

  /** The maps added key by key, only the {@code cap} keys of smallest rank kept. */
  private static <K, V> Map<K, V> smallest(
      List<Usage> all,
      java.util.function.Function<Usage, Map<K, V>> table,
      int cap,
      Comparator<K> order,
      BinaryOperator<V> plus) {
    Map<K, V> sum = new HashMap<>();
    for (Usage u : all) {
      table.apply(u).forEach((k, v) -> sum.merge(k, v, plus));
    }
    if (sum.size() <= cap) {
      return sum;
    }
    List<K> keys = new ArrayList<>(sum.keySet());
    keys.sort(order);
    Map<K, V> out = new HashMap<>();
    for (K k : keys.subList(0, cap)) {
      out.put(k, sum.get(k));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Usage u
        && u.herds.equals(herds)
        && u.polls.equals(polls)
        && u.large.equals(large)
        && u.churn.equals(churn)
        && u.samples.equals(samples);
  }

  @Override
  public int hashCode() {
    return herds.hashCode() ^ polls.hashCode() ^ large.hashCode() ^ churn.hashCode();
  }
}
