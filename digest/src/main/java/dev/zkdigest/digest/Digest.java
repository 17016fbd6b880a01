package dev.zkdigest.digest;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Aggregates traffic into what the reports show: per opcode, per class (opcode and path pattern),
 * per client and per session, plus events, four-letter words and what could not be decoded. Every
 * table has a cap on distinct keys (see {@link Limits}), so memory is bounded whatever the input.
 *
 * <p>Threading: all methods are synchronized; front ends feed it from several threads and reports
 * read it from another.
 */
public final class Digest implements TrafficListener {

  /** Caps on distinct keys; past a cap, new keys fold into an {@code {other}} group. */
  public record Limits(int classes, int clients, int sessions, int eventPatterns) {
    public static final Limits DEFAULTS = new Limits(5_000, 10_000, 10_000, 1_000);

    /**
     * With per-session stats for at most {@code n} sessions; 0 keeps one group for all of them
     * (only {@code --group-by session} shows sessions one by one; the count of distinct sessions is
     * kept either way).
     */
    public Limits withSessions(int n) {
      return new Limits(classes, clients, n, eventPatterns);
    }
  }

  public static final String OTHER = "{other}";
  private static final int MAX_DECODE_REASONS = 50;

  private final Limits limits;

  /** Whether sessions get stats one by one (only for --group-by session). */
  private final boolean perSession;

  /** Distinct session ids remembered for the count; past this new ids are only counted. */
  private final int distinctSessionsCap;

  private long firstNanos = Long.MAX_VALUE;
  private long lastNanos = Long.MIN_VALUE;
  private long connections;
  private long requests;
  private long responses;
  private long errors;
  private long events;
  private long bytesFromClients;
  private long bytesFromServers;
  private long unmatched;
  private long pending;
  private long decodeErrors;
  private long skippedBytes;
  private long fourLetterWords;
  private long openConnections;
  private long classRequestsOverflowed;
  private final Set<Long> sessionIds = new HashSet<>();
  private long sessionsBeyondCap;
  private final Histogram requestSizes = new Histogram(2);
  private final Histogram responseSizes = new Histogram(2);
  private final GroupTable<ClassKey> classes;
  private final GroupTable<String> clients;
  private final GroupTable<Long> sessions;
  private final Map<String, Long> eventsByType = new TreeMap<>();
  private final Map<String, Long> eventsByPattern = new HashMap<>();
  private final Map<String, Long> multiSubOps = new TreeMap<>();
  private final Map<String, long[]> fourLetter = new TreeMap<>();
  private final Map<String, Long> decodeErrorReasons = new LinkedHashMap<>();
  private final Map<String, Long> captureStats = new LinkedHashMap<>();

  /** Distinct (class, client) pairs counted; requests of further pairs count as "other". */
  static final int MAX_CLASS_CLIENT_PAIRS = 100_000;

  /** Clients listed per class. */
  private static final int TOP_CLIENTS = 16;

  /** Classes past this many get a packed histogram (smaller, slower to record into). */
  private static final int FINE_CLASSES = 512;

  /** Requests remembered per connection with their class, so a reply finds it without a lookup. */
  private static final int RECENT = 4;

  /** Per open connection, the groups it counts into, so the hot path skips the map lookups. */
  private static final class ConnGroups {
    /** The client's id in the per-class client counts, or -1 past the cap on clients. */
    int clientId;

    Stats client;
    long sessionId;
    Stats session;

    /** The last request's opcode and path and its class: clients repeat paths (polling, config). */
    Op lastOp;

    String lastPath;
    Stats lastClass;

    /** Recent requests by xid slot and the class each was counted in. */
    final ZkRequest[] recent = new ZkRequest[RECENT];

    final Stats[] recentClass = new Stats[RECENT];
  }

  private final IdentityHashMap<ConnectionMeta, ConnGroups> perConnection = new IdentityHashMap<>();

  private final ClassIndex classIndex;

  /** Requests per class and client, for the top clients of each class. */
  private final PairCounts classClients = new PairCounts(MAX_CLASS_CLIENT_PAIRS);

  /** Client addresses by their id in {@link #classClients}: the id is on each client's stats. */
  private final java.util.ArrayList<String> clientNames = new java.util.ArrayList<>();

  private int nextClassId;

  public Digest() {
    this(Limits.DEFAULTS);
  }

  public Digest(Limits limits) {
    this.limits = limits;
    this.perSession = limits.sessions() > 0;
    this.distinctSessionsCap = Math.max(limits.sessions(), Limits.DEFAULTS.sessions()) * 10;
    // Room for one {other} class per op beyond the cap on distinct classes.
    this.classes =
        new GroupTable<>(
            limits.classes() + Op.values().length,
            new ClassKey(Op.ERROR, OTHER),
            n -> n < FINE_CLASSES ? Stats.fine() : Stats.packed());
    this.clients = new GroupTable<>(limits.clients(), OTHER, n -> Stats.coarse());
    this.sessions = new GroupTable<>(limits.sessions(), -1L, n -> Stats.coarse());
    this.classIndex = new ClassIndex(limits.classes());
  }

  // ---- TrafficListener ----

  @Override
  public synchronized void opened(ConnectionMeta conn) {
    connections++;
    openConnections++;
    groups(conn).client.connection();
    seen(conn.openedNanos());
  }

  @Override
  public synchronized void closed(ConnectionMeta conn, long nanos) {
    openConnections--;
    perConnection.remove(conn);
  }

  @Override
  public synchronized void bytes(ConnectionMeta conn, Direction dir, int n, long nanos) {
    if (dir == Direction.CLIENT_TO_SERVER) {
      bytesFromClients += n;
    } else {
      bytesFromServers += n;
    }
    seen(nanos);
  }

  @Override
  public synchronized void request(ConnectionMeta conn, long sessionId, ZkRequest r) {
    requests++;
    requestSizes.recordValue(r.frameBytes());
    ConnGroups g = groups(conn);
    Stats cls;
    if (r.op() == g.lastOp && r.path() != null && r.path().equals(g.lastPath)) {
      cls = g.lastClass;
    } else {
      cls = classFor(r);
      if (!cls.isOverflow()) {
        g.lastOp = r.op();
        g.lastPath = r.path();
        g.lastClass = cls;
      }
    }
    cls.request(r.frameBytes());
    if (g.clientId >= 0) {
      classClients.add(classId(cls), g.clientId, 1);
    }
    if (cls.isOverflow()) {
      classRequestsOverflowed++;
    }
    int slot = r.xid() & (RECENT - 1);
    g.recent[slot] = r;
    g.recentClass[slot] = cls;
    g.client.request(r.frameBytes());
    if (sessionId != 0 && perSession) {
      session(g, sessionId).request(r.frameBytes());
    }
    if (r.body() instanceof RequestBody.Multi m) {
      for (RequestBody.SubOp sub : m.ops()) {
        multiSubOps.merge(sub.op().zkName(), 1L, Long::sum);
      }
    }
  }

  @Override
  public synchronized void exchange(
      ConnectionMeta conn, long sessionId, ZkRequest r, ZkReply reply) {
    responses++;
    responseSizes.recordValue(reply.frameBytes());
    if (reply.err() != 0) {
      errors++;
    }
    long latencyUs = Math.max(0, reply.timeNanos() - r.timeNanos()) / 1_000;
    ConnGroups g = groups(conn);
    int slot = r.xid() & (RECENT - 1);
    Stats cls;
    if (g.recent[slot] == r) {
      cls = g.recentClass[slot];
      g.recent[slot] = null;
      g.recentClass[slot] = null;
    } else {
      cls = classFor(r);
    }
    cls.reply(reply.err(), latencyUs, reply.frameBytes());
    g.client.reply(reply.err(), latencyUs, reply.frameBytes());
    if (r.op() == Op.CONNECT && reply.body() instanceof ReplyBody.Connect c) {
      if (c.sessionId() != 0) {
        if (sessionIds.size() < distinctSessionsCap) {
          sessionIds.add(c.sessionId());
        } else if (!sessionIds.contains(c.sessionId())) {
          sessionsBeyondCap++;
        }
      }
    }
    if (sessionId != 0 && perSession) {
      Stats s = session(g, sessionId);
      if (r.op() == Op.CONNECT) {
        s.request(r.frameBytes());
      }
      s.reply(reply.err(), latencyUs, reply.frameBytes());
    }
  }

  @Override
  public synchronized void unmatched(ConnectionMeta conn, long sessionId, ZkReply reply) {
    unmatched++;
  }

  @Override
  public synchronized void event(ConnectionMeta conn, long sessionId, WatchEvent e) {
    events++;
    eventsByType.merge(e.typeName(), 1L, Long::sum);
    String pattern = e.typeName() + " " + PathPatterns.of(e.path());
    if (eventsByPattern.size() < limits.eventPatterns() || eventsByPattern.containsKey(pattern)) {
      eventsByPattern.merge(pattern, 1L, Long::sum);
    } else {
      eventsByPattern.merge(e.typeName() + " " + OTHER, 1L, Long::sum);
    }
  }

  @Override
  public synchronized void fourLetterWord(
      ConnectionMeta conn, String command, long requestNanos, long answerBytes, long endNanos) {
    fourLetterWords++;
    long[] v = fourLetter.computeIfAbsent(command, c -> new long[2]);
    v[0]++;
    v[1] += answerBytes;
  }

  @Override
  public synchronized void pending(ConnectionMeta conn, long sessionId, ZkRequest r) {
    pending++;
  }

  @Override
  public synchronized void decodeError(
      ConnectionMeta conn, Direction dir, String reason, long nanos) {
    decodeErrors++;
    if (decodeErrorReasons.size() < MAX_DECODE_REASONS || decodeErrorReasons.containsKey(reason)) {
      decodeErrorReasons.merge(reason, 1L, Long::sum);
    } else {
      decodeErrorReasons.merge(OTHER, 1L, Long::sum);
    }
  }

  @Override
  public synchronized void skipped(ConnectionMeta conn, Direction dir, long bytes) {
    skippedBytes += bytes;
  }

  /** Front ends record what capture lost or dropped (kernel drops, queue overflow, ...). */
  public synchronized void captureStat(String name, long value) {
    captureStats.put(name, value);
  }

  /** Adds everything in {@code other} to this digest (interval reports into the total). */
  public synchronized void merge(Digest other) {
    synchronized (other) {
      if (other.firstNanos != Long.MAX_VALUE) {
        seen(other.firstNanos);
        seen(other.lastNanos);
      }
      connections += other.connections;
      requests += other.requests;
      responses += other.responses;
      errors += other.errors;
      events += other.events;
      bytesFromClients += other.bytesFromClients;
      bytesFromServers += other.bytesFromServers;
      unmatched += other.unmatched;
      pending += other.pending;
      decodeErrors += other.decodeErrors;
      skippedBytes += other.skippedBytes;
      fourLetterWords += other.fourLetterWords;
      openConnections += other.openConnections;
      classRequestsOverflowed += other.classRequestsOverflowed;
      sessionIds.addAll(other.sessionIds);
      requestSizes.add(other.requestSizes);
      responseSizes.add(other.responseSizes);
      sessionsBeyondCap += other.sessionsBeyondCap;
      classes.merge(other.classes);
      clients.merge(other.clients);
      mergeClassClients(other);
      sessions.merge(other.sessions);
      other.eventsByType.forEach((k, v) -> eventsByType.merge(k, v, Long::sum));
      other.eventsByPattern.forEach((k, v) -> eventsByPattern.merge(k, v, Long::sum));
      other.multiSubOps.forEach((k, v) -> multiSubOps.merge(k, v, Long::sum));
      other.fourLetter.forEach(
          (k, v) -> {
            long[] mine = fourLetter.computeIfAbsent(k, c -> new long[2]);
            mine[0] += v[0];
            mine[1] += v[1];
          });
      other.decodeErrorReasons.forEach((k, v) -> decodeErrorReasons.merge(k, v, Long::sum));
      captureStats.putAll(other.captureStats);
    }
  }

  /** Adds other's per-class client counts, translating its class and client ids into ours. */
  private void mergeClassClients(Digest other) {
    if (other.classClients.size() == 0) {
      return;
    }
    int[] classMap = new int[other.nextClassId];
    other
        .classes
        .all()
        .forEach(
            (k, st) -> {
              if (st.classId >= 0) {
                Stats mine = classes.all().get(k);
                classMap[st.classId] = mine == null ? -1 : classId(mine);
              }
            });
    int[] clientMap = new int[other.clientNames.size()];
    for (int i = 0; i < clientMap.length; i++) {
      String ip = other.clientNames.get(i);
      Stats mine = clients.all().get(ip);
      clientMap[i] = mine == null ? -1 : clientId(ip, mine);
    }
    other.classClients.forEach(
        (c, client, n) -> {
          if (classMap[c] >= 0 && clientMap[client] >= 0) {
            classClients.add(classMap[c], clientMap[client], n);
          }
        });
  }

  private void seen(long nanos) {
    if (nanos < firstNanos) {
      firstNanos = nanos;
    }
    if (nanos > lastNanos) {
      lastNanos = nanos;
    }
  }

  private ConnGroups groups(ConnectionMeta conn) {
    ConnGroups g = perConnection.get(conn);
    if (g == null) {
      g = new ConnGroups();
      g.client = clients.get(conn.clientIp());
      g.clientId = clientId(conn.clientIp(), g.client);
      perConnection.put(conn, g);
    }
    return g;
  }

  /**
   * A small id for a client with its own stats; -1 for one folded into {@code {other}} past the cap
   * on clients.
   */
  private int clientId(String ip, Stats client) {
    if (client.clientId < 0) {
      if (!clients.all().containsKey(ip)) {
        return -1;
      }
      client.clientId = clientNames.size();
      clientNames.add(ip);
    }
    return client.clientId;
  }

  private int classId(Stats cls) {
    if (cls.classId < 0) {
      cls.classId = nextClassId++;
    }
    return cls.classId;
  }

  private Stats session(ConnGroups g, long sessionId) {
    if (g.sessionId != sessionId || g.session == null) {
      g.sessionId = sessionId;
      g.session = sessions.get(sessionId);
    }
    return g.session;
  }

  private Stats classFor(ZkRequest r) {
    Stats s = classIndex.find(r.op(), r.path());
    if (s != null) {
      return s;
    }
    ClassKey key = new ClassKey(r.op(), classIndex.pattern());
    s = classes.all().get(key);
    if (s == null) {
      if (classes.all().size() >= limits.classes()) {
        // Not indexed: past the cap every new pattern folds again, and memory stays bounded.
        s = classes.get(new ClassKey(r.op(), OTHER));
        s.markOverflow();
        return s;
      }
      s = classes.get(key);
    }
    classIndex.add(r.op(), key.pattern(), s);
    return s;
  }

  // ---- read side, for reports: callers hold this digest's monitor ----

  public Limits limits() {
    return limits;
  }

  public synchronized Snapshot snapshot() {
    return new Snapshot(this);
  }

  /**
   * A consistent read of the digest for rendering. It shares the digest's tables, so it must be
   * used while holding the digest's monitor, or after feeding has stopped.
   */
  public static final class Snapshot {
    private final Digest d;
    private Map<Op, Stats> ops;
    private Map<Integer, java.util.List<Map.Entry<String, Long>>> clientsByClass;

    private Snapshot(Digest d) {
      this.d = d;
    }

    public long firstNanos() {
      return d.firstNanos == Long.MAX_VALUE ? 0 : d.firstNanos;
    }

    public long lastNanos() {
      return d.lastNanos == Long.MIN_VALUE ? 0 : d.lastNanos;
    }

    public long connections() {
      return d.connections;
    }

    public long openConnections() {
      return d.openConnections;
    }

    public long sessions() {
      return d.sessionIds.size() + d.sessionsBeyondCap;
    }

    public long clients() {
      return d.clients.all().size();
    }

    public long requests() {
      return d.requests;
    }

    public long responses() {
      return d.responses;
    }

    public long errors() {
      return d.errors;
    }

    public long events() {
      return d.events;
    }

    public long bytesFromClients() {
      return d.bytesFromClients;
    }

    public long bytesFromServers() {
      return d.bytesFromServers;
    }

    public long unmatched() {
      return d.unmatched;
    }

    public long pending() {
      return d.pending;
    }

    public long decodeErrors() {
      return d.decodeErrors;
    }

    public long skippedBytes() {
      return d.skippedBytes;
    }

    public long fourLetterWords() {
      return d.fourLetterWords;
    }

    public Histogram requestSizes() {
      return d.requestSizes;
    }

    public Histogram responseSizes() {
      return d.responseSizes;
    }

    /**
     * Per opcode: every class of that opcode added together (the classes partition the requests, so
     * this is exact, at the classes' resolution of two significant digits).
     */
    public Map<Op, Stats> ops() {
      if (ops == null) {
        ops = new EnumMap<>(Op.class);
        d.classes
            .all()
            .forEach((k, st) -> ops.computeIfAbsent(k.op(), o -> Stats.empty()).merge(st));
      }
      return ops;
    }

    public Map<ClassKey, Stats> classes() {
      return d.classes.all();
    }

    public long classesOverflowed() {
      return d.classes.overflowed() + d.classRequestsOverflowed;
    }

    public Map<String, Stats> clientsByAddress() {
      return d.clients.all();
    }

    public Map<Long, Stats> sessionsById() {
      return d.sessions.all();
    }

    public Map<String, Long> eventsByType() {
      return d.eventsByType;
    }

    public Map<String, Long> eventsByPattern() {
      return d.eventsByPattern;
    }

    public Map<String, Long> multiSubOps() {
      return d.multiSubOps;
    }

    /** Command to {count, answer bytes}. */
    public Map<String, long[]> fourLetter() {
      return d.fourLetter;
    }

    public Map<String, Long> decodeErrorReasons() {
      return d.decodeErrorReasons;
    }

    public Map<String, Long> captureStats() {
      return d.captureStats;
    }

    /**
     * The clients that sent a class the most requests, with their counts, largest first: at most
     * {@value #TOP_CLIENTS}, then {@code {other}} with the rest of the class's requests. Empty for
     * anything but a class of this digest.
     */
    public java.util.List<Map.Entry<String, Long>> topClients(Stats cls) {
      if (cls.classId < 0) {
        return java.util.List.of();
      }
      if (clientsByClass == null) {
        clientsByClass = new HashMap<>();
        d.classClients.forEach(
            (c, client, n) ->
                clientsByClass
                    .computeIfAbsent(c, k -> new java.util.ArrayList<>())
                    .add(Map.entry(d.clientNames.get(client), n)));
      }
      java.util.List<Map.Entry<String, Long>> all =
          new java.util.ArrayList<>(clientsByClass.getOrDefault(cls.classId, java.util.List.of()));
      all.sort(
          Map.Entry.<String, Long>comparingByValue(java.util.Comparator.reverseOrder())
              .thenComparing(Map.Entry::getKey));
      java.util.List<Map.Entry<String, Long>> top =
          new java.util.ArrayList<>(all.subList(0, Math.min(TOP_CLIENTS, all.size())));
      long listed = top.stream().mapToLong(Map.Entry::getValue).sum();
      if (cls.requests() > listed) {
        top.add(Map.entry(OTHER, cls.requests() - listed));
      }
      return top;
    }

    /** Everything answered, all ops together. */
    public Stats overall() {
      Stats all = Stats.empty();
      ops().values().forEach(all::merge);
      return all;
    }
  }
}
