package dev.zkdigest.digest;

import dev.zkdigest.protocol.Op;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What a digest recorded over some span (one interval, one thread's share, a whole run, several
 * reports merged), immutable: what every renderer reads. Snapshots {@link #merge} associatively and
 * exactly: the merge of the snapshots of several threads equals the snapshot one thread recording
 * everything would have taken, caps included, since every cap keeps the keys of smallest {@link
 * StableHash}.
 */
public final class DigestSnapshot {
  /** The session key of the per-session group that collects the sessions past the cap. */
  public static final long OTHER_SESSION = Long.MIN_VALUE;

  /** Clients listed per class. */
  public static final int TOP_CLIENTS = 16;

  /** A four-letter word's count and the bytes its answers took. */
  public record FourLetter(long count, long answerBytes) {
    FourLetter plus(FourLetter o) {
      return new FourLetter(count + o.count, answerBytes + o.answerBytes);
    }
  }

  /**
   * Requests of one client in one class; the class is named by its hash ({@link
   * PathPatterns#hash64}), since it may have been folded into {@code {other}}.
   */
  public record Pair(Op op, long classHash, String client, long requests) {
    /** The pair's rank under the cap on pairs. */
    long key() {
      return StableHash.pair(classHash, StableHash.of(client));
    }

    Pair plus(long more) {
      return new Pair(op, classHash, client, requests + more);
    }
  }

  /** An opcode on one raw path (not folded). */
  public record PathKey(Op op, String path) {
    public boolean isOther() {
      return path.equals(Digest.OTHER);
    }

    long hash() {
      return PathTable.hash(op, path);
    }

    @Override
    public String toString() {
      return op.zkName() + " " + path;
    }
  }

  /**
   * What one raw path saw of one opcode.
   *
   * @param badVersions BADVERSION errors: writers racing on the path (write contention)
   */
  public record PathStats(
      long requests, long errors, long requestBytes, long responseBytes, long badVersions) {
    public PathStats(long requests, long errors, long requestBytes, long responseBytes) {
      this(requests, errors, requestBytes, responseBytes, 0);
    }

    PathStats plus(PathStats o) {
      return new PathStats(
          requests + o.requests,
          errors + o.errors,
          requestBytes + o.requestBytes,
          responseBytes + o.responseBytes,
          badVersions + o.badVersions);
    }
  }

  /** A watch event type and the pattern of its path. */
  public record EventKey(String type, String pattern) {
    @Override
    public String toString() {
      return type + " " + pattern;
    }
  }

  /** Flows not analysed, to one server end. */
  public record Ignored(long flows, long bytes) {
    Ignored plus(Ignored o) {
      return new Ignored(flows + o.flows, bytes + o.bytes);
    }
  }

  /**
   * Distinct values counted by their hashes: every hash while there are few, the smallest ones past
   * the cap, from which the count is estimated (k minimum values).
   *
   * @param hashes sorted
   * @param overflowed whether more hashes were seen than kept
   */
  public record Sketch(long[] hashes, boolean overflowed) {
    public static final Sketch EMPTY = new Sketch(new long[0], false);

    public Sketch {
      hashes = hashes.clone();
    }

    @Override
    public long[] hashes() {
      return hashes.clone();
    }

    /** The count: exact unless {@link #overflowed}. */
    public long count() {
      return overflowed ? estimate(hashes.length, hashes[hashes.length - 1]) : hashes.length;
    }

    Sketch merge(Sketch o, int cap) {
      long[] all = new long[hashes.length + o.hashes.length];
      System.arraycopy(hashes, 0, all, 0, hashes.length);
      System.arraycopy(o.hashes, 0, all, hashes.length, o.hashes.length);
      long[] distinct = Arrays.stream(all).sorted().distinct().toArray();
      boolean over = overflowed || o.overflowed || distinct.length > cap;
      return new Sketch(Arrays.copyOf(distinct, Math.min(cap, distinct.length)), over);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Sketch s && s.overflowed == overflowed && Arrays.equals(s.hashes, hashes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(hashes) * 31 + Boolean.hashCode(overflowed);
    }
  }

  /**
   * The k-minimum-values estimate of a distinct count: k hashes kept, the largest of them {@code
   * max} (hashes are signed, uniform over the whole range).
   */
  static long estimate(int k, long max) {
    double fraction = ((double) (max - Long.MIN_VALUE >>> 1) * 2 + 1) / 0x1p64;
    return k <= 1 ? k : Math.round((k - 1) / fraction);
  }

  private final Digest.Limits limits;
  private final long firstNanos;
  private final long lastNanos;
  private final long[] counters;
  private final Latency requestSizes;
  private final Latency responseSizes;
  private final Map<ClassKey, GroupStats> classes;
  private final Map<String, GroupStats> clients;
  private final boolean clientsOverflowed;
  private final Map<Long, GroupStats> sessions;
  private final Sketch sessionIds;
  private final Map<String, Long> eventsByType;
  private final Map<EventKey, Long> eventPatterns;
  private final Map<String, Long> multiSubOps;
  private final Map<String, Map<String, Long>> multiSubResults;
  private final Map<String, FourLetter> fourLetterWords;
  private final Map<String, Long> decodeErrorReasons;
  private final Map<String, Ignored> ignored;
  private final List<Pair> pairs;
  private final Map<PathKey, PathStats> paths;
  private final Map<String, Long> frontEnd;
  private final Map<String, GroupStats> identities;
  private final Timeline timeline;
  private final Usage usage;
  private Map<Op, GroupStats> ops;
  private volatile PairIndex pairIndex;
  private Set<Long> keptClassHashes;

  private DigestSnapshot(Builder b) {
    limits = b.limits;
    firstNanos = b.firstNanos;
    lastNanos = b.lastNanos;
    counters = b.counters.clone();
    requestSizes = b.requestSizes;
    responseSizes = b.responseSizes;
    classes = Collections.unmodifiableMap(b.classes);
    clients = Collections.unmodifiableMap(b.clients);
    clientsOverflowed = b.clientsOverflowed;
    sessions = Collections.unmodifiableMap(b.sessions);
    sessionIds = b.sessionIds;
    eventsByType = Collections.unmodifiableMap(b.eventsByType);
    eventPatterns = Collections.unmodifiableMap(b.eventPatterns);
    multiSubOps = Collections.unmodifiableMap(b.multiSubOps);
    Map<String, Map<String, Long>> msr = new TreeMap<>();
    b.multiSubResults.forEach((k, v) -> msr.put(k, Collections.unmodifiableMap(v)));
    multiSubResults = Collections.unmodifiableMap(msr);
    fourLetterWords = Collections.unmodifiableMap(b.fourLetterWords);
    decodeErrorReasons = Collections.unmodifiableMap(b.decodeErrorReasons);
    ignored = Collections.unmodifiableMap(b.ignored);
    List<Pair> sorted = new ArrayList<>(b.pairs);
    sorted.sort(Comparator.comparingLong(Pair::key));
    pairs = List.copyOf(sorted);
    paths = Collections.unmodifiableMap(b.paths);
    frontEnd = Collections.unmodifiableMap(b.frontEnd);
    identities = Collections.unmodifiableMap(b.identities);
    timeline = b.timeline;
    usage = b.usage;
  }

  /** Nothing recorded. */
  public static DigestSnapshot empty(Digest.Limits limits) {
    return new Builder(limits).build();
  }

  public Digest.Limits limits() {
    return limits;
  }

  /** Epoch nanoseconds of the first thing seen, or 0 if nothing was. */
  public long firstNanos() {
    return firstNanos == Long.MAX_VALUE ? 0 : firstNanos;
  }

  /** Epoch nanoseconds of the last thing seen, or 0 if nothing was. */
  public long lastNanos() {
    return lastNanos == Long.MIN_VALUE ? 0 : lastNanos;
  }

  public long counter(Counter c) {
    return counters[c.ordinal()];
  }

  public long requests() {
    return counter(Counter.REQUESTS);
  }

  public long responses() {
    return counter(Counter.RESPONSES);
  }

  public long errors() {
    return counter(Counter.ERRORS);
  }

  public long events() {
    return counter(Counter.EVENTS);
  }

  public long connections() {
    return counter(Counter.CONNECTIONS);
  }

  /** Replies whose request was not seen. */
  public long unmatched() {
    return counter(Counter.UNMATCHED);
  }

  /** Requests whose connection or input ended before their reply. */
  public long pending() {
    return counter(Counter.UNANSWERED);
  }

  public long decodeErrors() {
    return counter(Counter.DECODE_ERRORS);
  }

  /** Distinct session ids seen in handshakes (estimated past the sketch's cap). */
  public long sessions() {
    return sessionIds.count();
  }

  public Sketch sessionIds() {
    return sessionIds;
  }

  /** Distinct client addresses (estimated past the cap on clients). */
  public long clients() {
    int kept = clients.size() - (clients.containsKey(Digest.OTHER) ? 1 : 0);
    if (!clientsOverflowed || kept == 0) {
      return kept;
    }
    long max = Long.MIN_VALUE;
    for (String ip : clients.keySet()) {
      if (!ip.equals(Digest.OTHER)) {
        max = Math.max(max, StableHash.of(ip));
      }
    }
    return estimate(kept, max);
  }

  /** Whether more clients were seen than the cap keeps (then {@link #clients} is an estimate). */
  public boolean clientsOverflowed() {
    return clientsOverflowed;
  }

  public Latency requestSizes() {
    return requestSizes;
  }

  public Latency responseSizes() {
    return responseSizes;
  }

  /** Per opcode: its classes added together (the classes partition the requests, so exact). */
  public synchronized Map<Op, GroupStats> ops() {
    if (ops == null) {
      Map<Op, List<GroupStats>> byOp = new EnumMap<>(Op.class);
      classes.forEach((k, st) -> byOp.computeIfAbsent(k.op(), o -> new ArrayList<>()).add(st));
      Map<Op, GroupStats> sums = new EnumMap<>(Op.class);
      byOp.forEach((op, l) -> sums.put(op, GroupStats.sum(l)));
      ops = Collections.unmodifiableMap(sums);
    }
    return ops;
  }

  /** Per class, with each opcode's {@code {other}} (pattern {@link Digest#OTHER}) past the cap. */
  public Map<ClassKey, GroupStats> classes() {
    return classes;
  }

  /** Requests counted under a {@code {other}} class. */
  public long classesOverflowed() {
    long n = 0;
    for (Map.Entry<ClassKey, GroupStats> e : classes.entrySet()) {
      if (e.getKey().isOther()) {
        n += e.getValue().requests();
      }
    }
    return n;
  }

  public Map<String, GroupStats> clientsByAddress() {
    return clients;
  }

  /** Per session, only when sessions were kept one by one ({@code --group-by session}). */
  public Map<Long, GroupStats> sessionsById() {
    return sessions;
  }

  public Map<String, Long> eventsByType() {
    return eventsByType;
  }

  public Map<EventKey, Long> eventPatterns() {
    return eventPatterns;
  }

  /** Sub-operations inside multi and multiRead requests, by op. */
  public Map<String, Long> multiSubOps() {
    return multiSubOps;
  }

  /** Sub-operation outcomes of multi and multiRead replies: op, then code name, then count. */
  public Map<String, Map<String, Long>> multiSubResults() {
    return multiSubResults;
  }

  public Map<String, FourLetter> fourLetterWords() {
    return fourLetterWords;
  }

  public Map<String, Long> decodeErrorReasons() {
    return decodeErrorReasons;
  }

  /** Flows not analysed, by server end, with {@code {other}} past the cap. */
  public Map<String, Ignored> ignored() {
    return ignored;
  }

  public List<Pair> pairs() {
    return pairs;
  }

  /**
   * Per opcode and raw path, with each opcode's {@code {other}} past the cap (only requests that
   * name a path; the paths inside a multi are not counted here).
   */
  public Map<PathKey, PathStats> paths() {
    return paths;
  }

  /**
   * Per authenticated identity ({@code digest:bob}, {@code sasl:bob}): what connections sent from
   * their auth on, with {@code {other}} past the cap. Never a password.
   */
  public Map<String, GroupStats> identities() {
    return identities;
  }

  /** Requests, errors and latency per interval, overall and per class. */
  public Timeline timeline() {
    return timeline;
  }

  /** What the findings read beyond the profile: herds, polling, large frames, churn, samples. */
  public Usage usage() {
    return usage;
  }

  /** The front end's own counters by name (packets, drops, proxy connections...). */
  public Map<String, Long> frontEnd() {
    return frontEnd;
  }

  /** This snapshot with the front end's counters as they are now. */
  public DigestSnapshot withFrontEnd(Map<String, Long> stats) {
    Builder b = new Builder(this);
    b.frontEnd.clear();
    b.frontEnd.putAll(stats);
    return b.build();
  }

  /** Everything answered, all ops together. */
  public GroupStats overall() {
    return GroupStats.sum(ops().values());
  }

  /**
   * The clients that sent a class the most requests, largest first: at most {@value #TOP_CLIENTS},
   * then {@code {other}} with the rest of the class's requests. Empty for a key that is not a class
   * of this snapshot.
   */
  public List<Map.Entry<String, Long>> topClients(ClassKey cls) {
    GroupStats st = classes.get(cls);
    return st == null ? List.of() : topClients(cls, st);
  }

  /**
   * {@link #topClients(ClassKey)} of a class and its stats, as iterating {@link #classes} gives.
   */
  public List<Map.Entry<String, Long>> topClients(ClassKey cls, GroupStats st) {
    List<Pair> ofClass = cls.isOther() ? List.of() : pairIndex().of(cls.hash());
    if (!cls.isOther() && ofClass.size() <= 1) {
      // Most classes of a large report: one client or none, so nothing to add up or sort.
      long listed = ofClass.isEmpty() ? 0 : ofClass.get(0).requests();
      List<Map.Entry<String, Long>> top = new ArrayList<>(2);
      if (!ofClass.isEmpty()) {
        top.add(new AbstractMap.SimpleImmutableEntry<>(ofClass.get(0).client(), listed));
      }
      if (st.requests() > listed) {
        top.add(Map.entry(Digest.OTHER, st.requests() - listed));
      }
      return top;
    }
    Map<String, Long> byClient = new HashMap<>();
    if (cls.isOther()) {
      Set<Long> kept = keptClassHashes();
      for (Pair p : pairs) {
        if (p.op() == cls.op() && !kept.contains(p.classHash())) {
          byClient.merge(p.client(), p.requests(), Long::sum);
        }
      }
    } else {
      for (Pair p : ofClass) {
        byClient.merge(p.client(), p.requests(), Long::sum);
      }
    }
    List<Map.Entry<String, Long>> all = new ArrayList<>(byClient.entrySet());
    all.sort(
        Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
            .thenComparing(Map.Entry::getKey));
    List<Map.Entry<String, Long>> top =
        new ArrayList<>(all.subList(0, Math.min(TOP_CLIENTS, all.size())));
    long listed = top.stream().mapToLong(Map.Entry::getValue).sum();
    if (st.requests() > listed) {
      top.add(Map.entry(Digest.OTHER, st.requests() - listed));
    }
    return top;
  }

  private synchronized Set<Long> keptClassHashes() {
    if (keptClassHashes == null) {
      Set<Long> kept = new HashSet<>();
      for (ClassKey k : classes.keySet()) {
        if (!k.isOther()) {
          kept.add(k.hash());
        }
      }
      keptClassHashes = kept;
    }
    return keptClassHashes;
  }

  private PairIndex pairIndex() {
    PairIndex index = pairIndex;
    if (index == null) {
      // Racing readers build equal indexes; either may be kept.
      index = new PairIndex(pairs);
      pairIndex = index;
    }
    return index;
  }

  /**
   * The pairs by class hash, so that a class's pairs are one run found by binary search: a report
   * looks up every class, and a map of boxed hashes to lists cost a chain of cache misses each.
   */
  private static final class PairIndex {
    private final long[] classHashes;
    private final Pair[] byClass;

    PairIndex(List<Pair> pairs) {
      byClass = pairs.toArray(new Pair[0]);
      Arrays.sort(byClass, Comparator.comparingLong(Pair::classHash));
      classHashes = new long[byClass.length];
      for (int i = 0; i < byClass.length; i++) {
        classHashes[i] = byClass[i].classHash();
      }
    }

    List<Pair> of(long classHash) {
      int at = Arrays.binarySearch(classHashes, classHash);
      if (at < 0) {
        return List.of();
      }
      int from = at;
      while (from > 0 && classHashes[from - 1] == classHash) {
        from--;
      }
      int to = at + 1;
      while (to < classHashes.length && classHashes[to] == classHash) {
        to++;
      }
      return Arrays.asList(byClass).subList(from, to);
    }
  }

  // ---- merging ----

  /** {@code a} and {@code b} together, under {@code limits}: associative and exact. */
  public static DigestSnapshot merge(DigestSnapshot a, DigestSnapshot b, Digest.Limits limits) {
    return merge(List.of(a, b), limits);
  }

  /**
   * All of them together, under {@code limits}, in one pass (each group's histograms are added
   * once, not once per input).
   */
  public static DigestSnapshot merge(List<DigestSnapshot> all, Digest.Limits limits) {
    Builder m = new Builder(limits);
    for (DigestSnapshot s : all) {
      m.seen(s.firstNanos, s.lastNanos);
      for (Counter c : Counter.values()) {
        m.counters[c.ordinal()] += s.counter(c);
      }
    }
    m.sizes(
        Latency.sum(all.stream().map(s -> s.requestSizes).toList()),
        Latency.sum(all.stream().map(s -> s.responseSizes).toList()));
    m.classes.putAll(
        capped(
            all.stream().map(s -> s.classes).toList(),
            limits.classes(),
            ClassKey::isOther,
            ClassKey::hash,
            k -> ClassKey.other(k.op()),
            GroupStats::sum));
    m.clients.putAll(
        capped(
            all.stream().map(s -> s.clients).toList(),
            limits.clients(),
            Digest.OTHER::equals,
            StableHash::of,
            k -> Digest.OTHER,
            GroupStats::sum));
    Set<String> kept = new HashSet<>();
    boolean clientsOverflowed = false;
    for (DigestSnapshot s : all) {
      kept.addAll(s.clients.keySet());
      clientsOverflowed |= s.clientsOverflowed;
    }
    kept.remove(Digest.OTHER);
    m.clientsOverflowed = clientsOverflowed || kept.size() > limits.clients();
    if (limits.sessions() > 0) {
      m.sessions.putAll(
          capped(
              all.stream().map(s -> s.sessions).toList(),
              limits.sessions(),
              k -> k == OTHER_SESSION,
              StableHash::mix,
              k -> OTHER_SESSION,
              GroupStats::sum));
    }
    Sketch ids = Sketch.EMPTY;
    for (DigestSnapshot s : all) {
      ids = ids.merge(s.sessionIds, limits.sessionIds());
    }
    m.sessionIds = ids;
    m.eventPatterns.putAll(
        capped(
            all.stream().map(s -> s.eventPatterns).toList(),
            limits.eventPatterns(),
            k -> k.pattern().equals(Digest.OTHER),
            k -> PathPatterns.hash64(EventTable.tagOf(k.type()), k.pattern()),
            k -> new EventKey(k.type(), Digest.OTHER),
            DigestSnapshot::sumLongs));
    m.decodeErrorReasons.putAll(
        capped(
            all.stream().map(s -> s.decodeErrorReasons).toList(),
            limits.decodeReasons(),
            Digest.OTHER::equals,
            StableHash::of,
            k -> Digest.OTHER,
            DigestSnapshot::sumLongs));
    m.ignored.putAll(
        capped(
            all.stream().map(s -> s.ignored).toList(),
            limits.ignoredServers(),
            Digest.OTHER::equals,
            StableHash::of,
            k -> Digest.OTHER,
            l -> l.stream().reduce(new Ignored(0, 0), Ignored::plus)));
    for (DigestSnapshot s : all) {
      s.eventsByType.forEach((k, v) -> m.eventsByType.merge(k, v, Long::sum));
      s.multiSubOps.forEach((k, v) -> m.multiSubOps.merge(k, v, Long::sum));
      s.multiSubResults.forEach(
          (op, codes) ->
              codes.forEach(
                  (code, v) ->
                      m.multiSubResults
                          .computeIfAbsent(op, k -> new TreeMap<>())
                          .merge(code, v, Long::sum)));
      s.fourLetterWords.forEach((k, v) -> m.fourLetterWords.merge(k, v, FourLetter::plus));
      s.frontEnd.forEach((k, v) -> m.frontEnd.merge(k, v, Long::sum));
    }
    m.pairs.addAll(mergePairs(all.stream().map(s -> s.pairs).toList(), limits.pairs()));
    m.paths.putAll(
        capped(
            all.stream().map(s -> s.paths).toList(),
            limits.paths(),
            PathKey::isOther,
            PathKey::hash,
            k -> new PathKey(k.op(), Digest.OTHER),
            l -> l.stream().reduce(new PathStats(0, 0, 0, 0), PathStats::plus)));
    m.identities.putAll(
        capped(
            all.stream().map(s -> s.identities).toList(),
            limits.identities(),
            Digest.OTHER::equals,
            StableHash::of,
            k -> Digest.OTHER,
            GroupStats::sum));
    m.timeline =
        Timeline.merge(
            all.stream().map(s -> s.timeline).toList(), limits.timeline(), m.classes.keySet());
    m.usage =
        Usage.merge(
            all.stream().map(s -> s.usage).toList(),
            Usage.Caps.DEFAULTS,
            limits.clients(),
            m.classes.keySet());
    return m.build();
  }

  private static long sumLongs(List<Long> l) {
    long n = 0;
    for (long v : l) {
      n += v;
    }
    return n;
  }

  /**
   * The maps added key by key, then at most {@code cap} keys kept, those of smallest rank: the
   * others' values go to their {@code other} key. Every input obeys the same rule, so this equals
   * what one table fed everything would hold.
   */
  static <K, V> Map<K, V> capped(
      List<Map<K, V>> maps,
      int cap,
      Predicate<K> isOther,
      ToLongFunction<K> rank,
      Function<K, K> otherOf,
      Function<List<V>, V> sum) {
    Map<K, List<V>> all = new HashMap<>();
    Map<K, List<V>> others = new LinkedHashMap<>();
    for (Map<K, V> m : maps) {
      m.forEach(
          (k, v) ->
              (isOther.test(k) ? others : all).computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    Map<K, V> out = new LinkedHashMap<>();
    if (all.size() <= cap) {
      all.forEach((k, v) -> out.put(k, sum.apply(v)));
    } else {
      Map<K, Long> ranks = new HashMap<>();
      all.keySet().forEach(k -> ranks.put(k, rank.applyAsLong(k)));
      List<K> keys = new ArrayList<>(all.keySet());
      keys.sort(Comparator.comparingLong(ranks::get));
      for (int i = 0; i < keys.size(); i++) {
        K k = keys.get(i);
        if (i < cap) {
          out.put(k, sum.apply(all.get(k)));
        } else {
          others.computeIfAbsent(otherOf.apply(k), x -> new ArrayList<>()).addAll(all.get(k));
        }
      }
    }
    others.forEach((k, v) -> out.put(k, sum.apply(v)));
    return out;
  }

  private static List<Pair> mergePairs(List<List<Pair>> lists, int cap) {
    Map<Long, Pair> all = new HashMap<>();
    Map<String, Long> clientHashes = new HashMap<>();
    for (List<Pair> l : lists) {
      for (Pair p : l) {
        long key =
            StableHash.pair(
                p.classHash(), clientHashes.computeIfAbsent(p.client(), StableHash::of));
        all.merge(key, p, (x, y) -> x.plus(y.requests()));
      }
    }
    long[] keys = new long[all.size()];
    int n = 0;
    for (long k : all.keySet()) {
      keys[n++] = k;
    }
    Arrays.sort(keys);
    List<Pair> out = new ArrayList<>();
    for (int i = 0; i < Math.min(cap, keys.length); i++) {
      out.add(all.get(keys[i]));
    }
    return out;
  }

  /** Collects a snapshot's parts; used by {@link Digest}, merges and report readers. */
  public static final class Builder {
    private final Digest.Limits limits;
    private long firstNanos = Long.MAX_VALUE;
    private long lastNanos = Long.MIN_VALUE;
    private final long[] counters = new long[Counter.values().length];
    private Latency requestSizes = Latency.EMPTY;
    private Latency responseSizes = Latency.EMPTY;
    private final Map<ClassKey, GroupStats> classes = new LinkedHashMap<>();
    private final Map<String, GroupStats> clients = new LinkedHashMap<>();
    private boolean clientsOverflowed;
    private final Map<Long, GroupStats> sessions = new TreeMap<>();
    private Sketch sessionIds = Sketch.EMPTY;
    private final Map<String, Long> eventsByType = new TreeMap<>();
    private final Map<EventKey, Long> eventPatterns =
        new TreeMap<>(Comparator.comparing(EventKey::type).thenComparing(EventKey::pattern));
    private final Map<String, Long> multiSubOps = new TreeMap<>();
    private final Map<String, Map<String, Long>> multiSubResults = new TreeMap<>();
    private final Map<String, FourLetter> fourLetterWords = new TreeMap<>();
    private final Map<String, Long> decodeErrorReasons = new TreeMap<>();
    private final Map<String, Ignored> ignored = new TreeMap<>();
    private final List<Pair> pairs = new ArrayList<>();
    private final Map<PathKey, PathStats> paths =
        new TreeMap<>(Comparator.comparing(PathKey::op).thenComparing(PathKey::path));
    private final Map<String, Long> frontEnd = new LinkedHashMap<>();
    private final Map<String, GroupStats> identities = new TreeMap<>();
    private Timeline timeline = Timeline.EMPTY;
    private Usage usage = Usage.EMPTY;

    public Builder(Digest.Limits limits) {
      this.limits = limits;
    }

    private Builder(DigestSnapshot s) {
      this(s.limits);
      firstNanos = s.firstNanos;
      lastNanos = s.lastNanos;
      System.arraycopy(s.counters, 0, counters, 0, counters.length);
      requestSizes = s.requestSizes;
      responseSizes = s.responseSizes;
      classes.putAll(s.classes);
      clients.putAll(s.clients);
      clientsOverflowed = s.clientsOverflowed;
      sessions.putAll(s.sessions);
      sessionIds = s.sessionIds;
      eventsByType.putAll(s.eventsByType);
      eventPatterns.putAll(s.eventPatterns);
      multiSubOps.putAll(s.multiSubOps);
      multiSubResults.putAll(s.multiSubResults);
      fourLetterWords.putAll(s.fourLetterWords);
      decodeErrorReasons.putAll(s.decodeErrorReasons);
      ignored.putAll(s.ignored);
      pairs.addAll(s.pairs);
      paths.putAll(s.paths);
      frontEnd.putAll(s.frontEnd);
      identities.putAll(s.identities);
      timeline = s.timeline;
      usage = s.usage;
    }

    public Builder seen(long first, long last) {
      firstNanos = Math.min(firstNanos, first);
      lastNanos = Math.max(lastNanos, last);
      return this;
    }

    public Builder counter(Counter c, long value) {
      counters[c.ordinal()] = value;
      return this;
    }

    public Builder sizes(Latency request, Latency response) {
      requestSizes = request;
      responseSizes = response;
      return this;
    }

    /** A class; a real pattern that reads {@code {other}} is counted as the overflow it mimics. */
    public Builder clazz(Op op, String pattern, GroupStats st) {
      classes.merge(new ClassKey(op, pattern), st, GroupStats::merge);
      return this;
    }

    public Builder client(String address, GroupStats st) {
      clients.merge(address, st, GroupStats::merge);
      return this;
    }

    public Builder clientsOverflowed(boolean overflowed) {
      clientsOverflowed = overflowed;
      return this;
    }

    public Builder session(long id, GroupStats st) {
      sessions.merge(id, st, GroupStats::merge);
      return this;
    }

    public Builder sessionIds(Sketch sketch) {
      sessionIds = sketch;
      return this;
    }

    public Builder eventType(String type, long n) {
      eventsByType.merge(type, n, Long::sum);
      return this;
    }

    public Builder eventPattern(String type, String pattern, long n) {
      eventPatterns.merge(new EventKey(type, pattern), n, Long::sum);
      return this;
    }

    public Builder multiSubOp(String op, long n) {
      multiSubOps.merge(op, n, Long::sum);
      return this;
    }

    public Builder multiSubResult(String op, String code, long n) {
      multiSubResults.computeIfAbsent(op, k -> new TreeMap<>()).merge(code, n, Long::sum);
      return this;
    }

    public Builder fourLetterWord(String command, long count, long answerBytes) {
      fourLetterWords.merge(command, new FourLetter(count, answerBytes), FourLetter::plus);
      return this;
    }

    public Builder decodeReason(String reason, long n) {
      decodeErrorReasons.merge(reason, n, Long::sum);
      return this;
    }

    public Builder ignored(String server, long flows, long bytes) {
      ignored.merge(server, new Ignored(flows, bytes), Ignored::plus);
      return this;
    }

    public Builder pair(Op op, long classHash, String client, long requests) {
      pairs.add(new Pair(op, classHash, client, requests));
      return this;
    }

    public Builder path(Op op, String path, PathStats st) {
      paths.merge(new PathKey(op, path), st, PathStats::plus);
      return this;
    }

    public Builder frontEnd(String name, long value) {
      frontEnd.merge(name, value, Long::sum);
      return this;
    }

    public Builder identity(String identity, GroupStats st) {
      identities.merge(identity, st, GroupStats::merge);
      return this;
    }

    public Builder timeline(Timeline t) {
      timeline = t;
      return this;
    }

    public Builder usage(Usage u) {
      usage = u;
      return this;
    }

    public DigestSnapshot build() {
      return new DigestSnapshot(this);
    }
  }
}
