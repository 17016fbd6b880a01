package dev.zkdigest.digest;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import dev.zkdigest.protocol.Outcome;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;

/**
 * The tables one writer records traffic into: per class (opcode and path pattern), per client and
 * per session, plus events, four-letter words, multi outcomes and what could not be analysed. A
 * {@link Recorder} owns one at a time and hands it to {@link #snapshot} when its phase ends.
 *
 * <p>Every table has a cap on distinct keys ({@link Limits}) and keeps the keys of smallest {@link
 * StableHash} ({@link BottomK}): what past a cap counts under {@code {other}} depends on the keys
 * alone, never on their order, so digests recorded by several threads merge into exactly what one
 * digest of everything would be.
 *
 * <p>Threading: single writer; not thread-safe. {@link #snapshot} ends its life.
 */
public final class Digest implements TrafficListener {

  /** Caps on distinct keys; past a cap, the other keys' counts go to an {@code {other}} group. */
  public record Limits(
      int classes,
      int clients,
      int sessions,
      int eventPatterns,
      int pairs,
      int sessionIds,
      int decodeReasons,
      int ignoredServers,
      int paths,
      int identities,
      Timeline.Spec timeline) {
    public static final Limits DEFAULTS =
        new Limits(
            5_000,
            10_000,
            10_000,
            1_000,
            100_000,
            16_384,
            50,
            100,
            10_000,
            1_000,
            Timeline.Spec.DEFAULTS);

    /** The caps of reports written before identities and timelines, those at their defaults. */
    public Limits(
        int classes,
        int clients,
        int sessions,
        int eventPatterns,
        int pairs,
        int sessionIds,
        int decodeReasons,
        int ignoredServers,
        int paths) {
      this(
          classes,
          clients,
          sessions,
          eventPatterns,
          pairs,
          sessionIds,
          decodeReasons,
          ignoredServers,
          paths,
          1_000,
          Timeline.Spec.DEFAULTS);
    }

    public Limits {
      if (classes < 1
          || clients < 1
          || sessions < 0
          || eventPatterns < 1
          || pairs < 1
          || sessionIds < 1
          || decodeReasons < 1
          || ignoredServers < 1
          || paths < 1
          || identities < 1
          || timeline == null) {
        throw new IllegalArgumentException("digest limits must be positive");
      }
    }

    /** The classic four caps, the others at their defaults. */
    public Limits(int classes, int clients, int sessions, int eventPatterns) {
      this(
          classes,
          clients,
          sessions,
          eventPatterns,
          DEFAULTS.pairs,
          DEFAULTS.sessionIds,
          DEFAULTS.decodeReasons,
          DEFAULTS.ignoredServers,
          DEFAULTS.paths);
    }

    /**
     * With per-session stats for at most {@code n} sessions; 0 keeps none (only {@code --group-by
     * session} shows sessions one by one; distinct sessions are counted either way).
     */
    public Limits withSessions(int n) {
      return new Limits(
          classes,
          clients,
          n,
          eventPatterns,
          pairs,
          sessionIds,
          decodeReasons,
          ignoredServers,
          paths,
          identities,
          timeline);
    }

    /** With timelines bucketed as {@code spec} says ({@code --bucket}). */
    public Limits withTimeline(Timeline.Spec spec) {
      return new Limits(
          classes,
          clients,
          sessions,
          eventPatterns,
          pairs,
          sessionIds,
          decodeReasons,
          ignoredServers,
          paths,
          identities,
          spec);
    }
  }

  /** The key of the group that collects whatever is past a table's cap. */
  public static final String OTHER = "{other}";

  /** Requests remembered per connection with their class, so a reply finds it without a lookup. */
  private static final int RECENT = 4;

  private final Limits limits;
  private long firstNanos = Long.MAX_VALUE;
  private long lastNanos = Long.MIN_VALUE;
  private final long[] counters = new long[Counter.values().length];
  private final AbstractHistogram requestSizes = Latency.fine();
  private final AbstractHistogram responseSizes = Latency.fine();
  private final ClassTable classes;
  private final PathClassCache pathClasses;
  private final KeyedTable<String, Stats> clients;
  private final KeyedTable<Long, Stats> sessions;
  private final DistinctCounter sessionIds;
  private final EventTable events;
  private final PairTable pairs;
  private final PathTable paths;
  private final long[] multiSubOps = new long[Op.COUNT];

  /** Sub-results by sub-op and code ({@link #codeIndex}), a row made at an op's first result. */
  private final long[][] multiSubResults = new long[Op.COUNT][];

  private final Map<String, long[]> fourLetter = new TreeMap<>();
  private final KeyedTable<String, long[]> decodeReasons;
  private final KeyedTable<String, long[]> ignored;
  private final KeyedTable<String, Stats> identities;
  private final TimelineTable timeline;
  private final SmallestMap<Usage.HerdKey, Usage.Herd> herds =
      new SmallestMap<>(Usage.Caps.DEFAULTS.herds(), Usage.HERD_ORDER, Usage.Herd::plus);
  private final SmallestMap<Usage.PollKey, Usage.Poll> polls =
      new SmallestMap<>(Usage.Caps.DEFAULTS.polls(), Usage.POLL_ORDER, Usage.Poll::plus);
  private final SmallestMap<Usage.LargeKey, Usage.Large> large =
      new SmallestMap<>(Usage.Caps.DEFAULTS.large(), Usage.LARGE_ORDER, Usage.Large::plus);
  private final KeyedTable<String, LiveChurn> churn;

  /** Watch events remembered per connection until the path is read again. */
  private static final int EVENTS = 4;

  /** Series of reads without a watch followed per connection. */
  private static final int POLL_SLOTS = 8;

  /** Per open connection, the groups it counts into, so the hot path skips the lookups. */
  private static final class ConnGroups {
    String client;
    long clientHash;
    Stats clientStats;
    long sessionId;
    Stats session;

    /** The last request's (op, raw path) hash in the path table, for the poll detector. */
    long lastRawHash;

    /** Recent requests by xid slot, the class each was counted in and its raw path's hash. */
    final ZkRequest[] recent = new ZkRequest[RECENT];

    final Stats[] recentClass = new Stats[RECENT];
    final long[] recentClassHash = new long[RECENT];
    final long[] recentRawHash = new long[RECENT];

    /** Who the connection authenticated as ({@code digest:bob}), or null; and their stats. */
    String identity;

    Stats identityStats;

    /** Whether this digest saw the connection open, and whether it did more than ping since. */
    boolean sawOpen;

    boolean active;

    /** The stand-in session of a connection whose session is not known, made on first use. */
    long unknownSession;

    /** Whether the client ended its session (closeSession) on this connection. */
    boolean sessionClosed;

    /**
     * When the connection last carried a request or reply: its end for lifetimes. The time a front
     * end closes it at the end of the input is that of the last packet of the thread's share, which
     * depends on the thread count.
     */
    long lastMessageNanos;

    /** Watch events not yet followed by a read of their path: type name, path, time. */
    final String[] eventType = new String[EVENTS];

    final String[] eventPath = new String[EVENTS];
    final long[] eventNanos = new long[EVENTS];
    int nextEvent;

    /** Reads without a watch, one series per (op, path), the least recently read replaced. */
    final PollSeries[] polls = new PollSeries[POLL_SLOTS];
  }

  /** Reads of one path without a watch on one connection: their count and gaps. */
  private static final class PollSeries {
    Op op;
    String path;

    /** The (op, path) hash ({@link PathTable#hash}): compared before the path itself. */
    long hash;

    long session;
    long reads;
    long firstNanos;
    long lastNanos;
    long sumGapMs;
    long sumGapSqMs;
    long minGapMs = Long.MAX_VALUE;
    long maxGapMs;
    int firstXid;

    void start(Op op, String path, long hash, long session, ZkRequest r) {
      this.op = op;
      this.path = path;
      this.hash = hash;
      this.session = session;
      reads = 1;
      firstNanos = r.timeNanos();
      lastNanos = r.timeNanos();
      sumGapMs = 0;
      sumGapSqMs = 0;
      minGapMs = Long.MAX_VALUE;
      maxGapMs = 0;
      firstXid = r.xid();
    }

    void read(long nanos) {
      long gap = Math.max(0, nanos - lastNanos) / 1_000_000;
      reads++;
      lastNanos = nanos;
      sumGapMs += gap;
      sumGapSqMs += gap * gap;
      minGapMs = Math.min(minGapMs, gap);
      maxGapMs = Math.max(maxGapMs, gap);
    }
  }

  /** Connections of one client: when they opened, and how long the closed ones lived. */
  private static final class LiveChurn {
    long opened;
    long reconnects;
    long firstOpenNanos = Long.MAX_VALUE;
    long lastOpenNanos = Long.MIN_VALUE;
    final AbstractHistogram lifetimesMs = Latency.coarse();
    final AbstractHistogram idleLifetimesMs = Latency.coarse();

    void absorbInto(LiveChurn into) {
      into.opened += opened;
      into.reconnects += reconnects;
      into.firstOpenNanos = Math.min(into.firstOpenNanos, firstOpenNanos);
      into.lastOpenNanos = Math.max(into.lastOpenNanos, lastOpenNanos);
      into.lifetimesMs.add(lifetimesMs);
      into.idleLifetimesMs.add(idleLifetimesMs);
    }

    Usage.Churn freeze() {
      return new Usage.Churn(
          opened,
          reconnects,
          firstOpenNanos,
          lastOpenNanos,
          new Latency(lifetimesMs),
          new Latency(idleLifetimesMs));
    }
  }

  private final IdentityHashMap<ConnectionMeta, ConnGroups> perConnection = new IdentityHashMap<>();

  public Digest() {
    this(Limits.DEFAULTS);
  }

  public Digest(Limits limits) {
    this.limits = limits;
    this.classes = new ClassTable(limits.classes());
    this.pathClasses = new PathClassCache(classes);
    this.clients =
        new KeyedTable<>(limits.clients(), n -> new Stats(Latency.coarse()), Digest::evict);
    this.sessions =
        new KeyedTable<>(
            Math.max(1, limits.sessions()), n -> new Stats(Latency.coarse()), Digest::evict);
    this.sessionIds = new DistinctCounter(limits.sessionIds());
    this.events = new EventTable(limits.eventPatterns());
    this.pairs = new PairTable(limits.pairs());
    this.paths = new PathTable(limits.paths());
    this.decodeReasons = new KeyedTable<>(limits.decodeReasons(), n -> new long[1], Digest::add);
    this.ignored = new KeyedTable<>(limits.ignoredServers(), n -> new long[2], Digest::add);
    this.identities =
        new KeyedTable<>(limits.identities(), n -> new Stats(Latency.coarse()), Digest::evict);
    this.timeline = new TimelineTable(limits.timeline());
    this.churn = new KeyedTable<>(limits.clients(), n -> new LiveChurn(), LiveChurn::absorbInto);
  }

  private static void evict(Stats gone, Stats into) {
    into.absorb(gone);
    gone.evictedTo = into;
  }

  private static void add(long[] from, long[] into) {
    for (int i = 0; i < from.length; i++) {
      into[i] += from[i];
    }
  }

  public Limits limits() {
    return limits;
  }

  // ---- TrafficListener ----

  @Override
  public void opened(ConnectionMeta conn) {
    counters[Counter.CONNECTIONS.ordinal()]++;
    counters[Counter.OPEN_CONNECTIONS.ordinal()]++;
    ConnGroups g = groups(conn);
    g.clientStats.live().connection();
    g.sawOpen = true;
    LiveChurn c = churn.get(g.client, g.clientHash);
    c.opened++;
    c.firstOpenNanos = Math.min(c.firstOpenNanos, conn.openedNanos());
    c.lastOpenNanos = Math.max(c.lastOpenNanos, conn.openedNanos());
    seen(conn.openedNanos());
  }

  @Override
  public void closed(ConnectionMeta conn, long nanos) {
    counters[Counter.OPEN_CONNECTIONS.ordinal()]--;
    ConnGroups g = perConnection.remove(conn);
    if (g == null) {
      return;
    }
    endPolls(g);
    if (g.sawOpen && conn.fromStart()) {
      // The end of the input closes every connection too: only a closeSession ends a session's
      // life for sure; an idle connection is idle for as long as it was seen either way.
      long end = Math.max(g.lastMessageNanos, conn.openedNanos());
      long ms = Math.min(Math.max(0, end - conn.openedNanos()) / 1_000_000, Latency.MAX_US);
      LiveChurn c = churn.get(g.client, g.clientHash);
      if (g.sessionClosed) {
        c.lifetimesMs.recordValue(ms);
      }
      if (!g.active) {
        c.idleLifetimesMs.recordValue(ms);
      }
    }
  }

  @Override
  public void bytes(ConnectionMeta conn, Direction dir, int n, long nanos) {
    Counter c =
        dir == Direction.CLIENT_TO_SERVER ? Counter.BYTES_FROM_CLIENTS : Counter.BYTES_FROM_SERVERS;
    counters[c.ordinal()] += n;
    seen(nanos);
  }

  @Override
  public void request(ConnectionMeta conn, long sessionId, ZkRequest r) {
    counters[Counter.REQUESTS.ordinal()]++;
    requestSizes.recordValue(r.frameBytes());
    ConnGroups g = groups(conn);
    int cached = pathClasses.slot(r.op(), r.path());
    Stats cls = pathClasses.stats(cached);
    long classHash = pathClasses.classHash(cached);
    g.lastRawHash = pathClasses.rawHash(cached);
    cls.request(r.frameBytes());
    g.lastMessageNanos = Math.max(g.lastMessageNanos, r.timeNanos());
    timeline.request(r.timeNanos(), r.op(), classHash);
    authenticated(g, r);
    if (g.identityStats != null) {
      g.identityStats.live().request(r.frameBytes());
    }
    pairs.add(r.op(), classHash, g.client, g.clientHash, 1);
    if (r.path() != null) {
      int slot = paths.slot(r.op(), r.path(), g.lastRawHash);
      paths.add(slot, PathTable.REQUESTS, 1);
      paths.add(slot, PathTable.REQUEST_BYTES, r.frameBytes());
    }
    usage(g, conn, sessionId, r);
    int slot = r.xid() & (RECENT - 1);
    g.recent[slot] = r;
    g.recentClass[slot] = cls;
    g.recentClassHash[slot] = classHash;
    g.recentRawHash[slot] = g.lastRawHash;
    g.clientStats.live().request(r.frameBytes());
    if (limits.sessions() > 0) { // session 0: no handshake seen, kept as one row
      session(g, sessionId).request(r.frameBytes());
    }
    if (r.body() instanceof RequestBody.Multi m) {
      for (RequestBody.SubOp sub : m.ops()) {
        multiSubOps[sub.op().ordinal()]++;
      }
    }
  }

  @Override
  public void exchange(ConnectionMeta conn, long sessionId, ZkRequest r, ZkReply reply) {
    counters[Counter.RESPONSES.ordinal()]++;
    responseSizes.recordValue(reply.frameBytes());
    int err = KeeperErrors.bounded(Outcome.of(r, reply));
    if (err != KeeperErrors.OK) {
      counters[Counter.ERRORS.ordinal()]++;
    }
    long latencyUs = Math.max(0, reply.timeNanos() - r.timeNanos()) / 1_000;
    ConnGroups g = groups(conn);
    int slot = r.xid() & (RECENT - 1);
    Stats cls;
    long classHash;
    long rawHash;
    if (g.recent[slot] == r) {
      cls = g.recentClass[slot].live();
      classHash = g.recentClassHash[slot];
      rawHash = g.recentRawHash[slot];
      g.recent[slot] = null;
      g.recentClass[slot] = null;
    } else {
      int cached = pathClasses.slot(r.op(), r.path());
      cls = pathClasses.stats(cached);
      classHash = pathClasses.classHash(cached);
      rawHash = pathClasses.rawHash(cached);
    }
    cls.reply(err, latencyUs, reply.frameBytes());
    g.lastMessageNanos = Math.max(g.lastMessageNanos, reply.timeNanos());
    cls.sample(
        err, Math.min(latencyUs, Latency.MAX_US), r.timeNanos(), g.client, sessionId, r.xid());
    large(g, sessionId, r, reply);
    timeline.reply(r.timeNanos(), r.op(), classHash, err, latencyUs);
    if (g.identityStats != null) {
      g.identityStats.live().reply(err, latencyUs, reply.frameBytes());
    }
    g.clientStats.live().reply(err, latencyUs, reply.frameBytes());
    if (r.path() != null) {
      int pathSlot = paths.slot(r.op(), r.path(), rawHash);
      if (err != KeeperErrors.OK) {
        paths.add(pathSlot, PathTable.ERRORS, 1);
        if (err == KeeperErrors.BADVERSION) {
          paths.add(pathSlot, PathTable.BAD_VERSIONS, 1);
        }
      }
      paths.add(pathSlot, PathTable.RESPONSE_BYTES, reply.frameBytes());
    }
    if (r.op() == Op.CONNECT && reply.body() instanceof ReplyBody.Connect c) {
      if (c.sessionId() != 0) {
        sessionIds.add(StableHash.mix(c.sessionId()));
      }
    }
    if (limits.sessions() > 0) { // session 0: no handshake seen, kept as one row
      Stats s = session(g, sessionId);
      if (r.op() == Op.CONNECT) {
        s.request(r.frameBytes());
      }
      s.reply(err, latencyUs, reply.frameBytes());
    }
    if (r.body() instanceof RequestBody.Multi m && reply.body() instanceof ReplyBody.Multi res) {
      subResults(m, res);
    }
  }

  /** Each sub-operation's outcome, by the sub-operation's own op (results name only errors). */
  private void subResults(RequestBody.Multi m, ReplyBody.Multi res) {
    int n = Math.min(m.ops().size(), res.results().size());
    for (int i = 0; i < n; i++) {
      int op = m.ops().get(i).op().ordinal();
      if (multiSubResults[op] == null) {
        multiSubResults[op] = new long[CODES];
      }
      multiSubResults[op][codeIndex(KeeperErrors.bounded(res.results().get(i).err()))]++;
    }
  }

  /** Codes {@link KeeperErrors#bounded} keeps: 0 down to -200, and one for the rest. */
  private static final int CODES = 202;

  private static int codeIndex(int boundedCode) {
    return boundedCode == KeeperErrors.OUT_OF_RANGE ? CODES - 1 : -boundedCode;
  }

  private static int codeAt(int index) {
    return index == CODES - 1 ? KeeperErrors.OUT_OF_RANGE : -index;
  }

  @Override
  public void unmatched(ConnectionMeta conn, long sessionId, ZkReply reply) {
    counters[Counter.UNMATCHED.ordinal()]++;
  }

  @Override
  public void event(ConnectionMeta conn, long sessionId, WatchEvent e) {
    counters[Counter.EVENTS.ordinal()]++;
    events.add(e);
    if (e.path() != null && e.type() >= NODE_CREATED && e.type() <= NODE_CHILDREN_CHANGED) {
      ConnGroups g = groups(conn);
      int slot = g.nextEvent;
      for (int i = 0; i < EVENTS; i++) {
        if (e.path().equals(g.eventPath[i])) {
          slot = i;
        }
      }
      g.eventType[slot] = e.typeName();
      g.eventPath[slot] = e.path();
      g.eventNanos[slot] = e.timeNanos();
      if (slot == g.nextEvent) {
        g.nextEvent = (g.nextEvent + 1) % EVENTS;
      }
    }
  }

  /** Watch event types that change a znode (jute {@code EventType}: 1 to 4). */
  private static final int NODE_CREATED = 1;

  private static final int NODE_CHILDREN_CHANGED = 4;

  // ---- what the findings need ----

  /** A request's part in herds, polling and idleness. */
  private void usage(ConnGroups g, ConnectionMeta conn, long sessionId, ZkRequest r) {
    Op op = r.op();
    if (op == Op.CLOSE_SESSION) {
      g.sessionClosed = true;
    } else if (op == Op.CONNECT
        && r.body() instanceof RequestBody.Connect c
        && c.sessionId() != 0) {
      churn.get(g.client, g.clientHash).reconnects++;
    }
    switch (op) {
      case CONNECT, PING, CLOSE_SESSION, SET_WATCHES, SET_WATCHES2, AUTH, SASL -> {
        return;
      }
      default -> g.active = true;
    }
    if (r.path() == null
        || (op != Op.GET_DATA
            && op != Op.EXISTS
            && op != Op.GET_CHILDREN
            && op != Op.GET_CHILDREN2)) {
      return;
    }
    long session = sessionId != 0 ? sessionId : unknownSession(g, conn);
    reread(g, session, r);
    if (r.body() instanceof RequestBody.Watch w && !w.watch()) {
      poll(g, session, r);
    }
  }

  /**
   * A negative stand-in for the session of a connection joined mid-stream, the same whatever thread
   * decodes it (connection ids are not): from its client address, port and first sight.
   */
  private static long unknownSession(ConnGroups g, ConnectionMeta conn) {
    if (g.unknownSession == 0) {
      long h = StableHash.pair(StableHash.of(conn.client()), StableHash.mix(conn.openedNanos()));
      g.unknownSession = -1 - (h >>> 1);
    }
    return g.unknownSession;
  }

  /** A read of a path a watch event named shortly before: one more of the event's herd. */
  private void reread(ConnGroups g, long session, ZkRequest r) {
    for (int i = 0; i < EVENTS; i++) {
      if (g.eventPath[i] == null || !g.eventPath[i].equals(r.path())) {
        continue;
      }
      long delay = r.timeNanos() - g.eventNanos[i];
      if (delay >= 0 && delay <= Usage.HERD_REREAD_NANOS) {
        long slot = Math.floorDiv(g.eventNanos[i], Usage.HERD_SLOT_NANOS) * Usage.HERD_SLOT_NANOS;
        Usage.HerdKey key = new Usage.HerdKey(g.eventType[i], r.path(), slot);
        if (herds.admits(key)) {
          herds.add(
              key,
              new Usage.Herd(
                  1,
                  new DigestSnapshot.Sketch(new long[] {StableHash.mix(session)}, false),
                  Usage.Few.of(Usage.sessionName(session)),
                  Usage.Few.of(g.client),
                  g.eventNanos[i],
                  r.timeNanos(),
                  new Usage.Sample(r.timeNanos(), g.client, session, r.xid())));
        }
      }
      g.eventPath[i] = null;
      g.eventType[i] = null;
    }
  }

  private void poll(ConnGroups g, long session, ZkRequest r) {
    PollSeries oldest = null;
    for (PollSeries p : g.polls) {
      if (p == null) {
        continue;
      }
      if (p.hash == g.lastRawHash
          && p.op == r.op()
          && p.session == session
          && p.path.equals(r.path())) {
        p.read(r.timeNanos());
        return;
      }
      if (oldest == null || p.lastNanos < oldest.lastNanos) {
        oldest = p;
      }
    }
    for (int i = 0; i < POLL_SLOTS; i++) {
      if (g.polls[i] == null) {
        g.polls[i] = new PollSeries();
        g.polls[i].start(r.op(), r.path(), g.lastRawHash, session, r);
        return;
      }
    }
    endPoll(g, oldest);
    oldest.start(r.op(), r.path(), g.lastRawHash, session, r);
  }

  private void endPolls(ConnGroups g) {
    for (PollSeries p : g.polls) {
      if (p != null) {
        endPoll(g, p);
      }
    }
  }

  /** A series long enough to be polling, perhaps, goes to the digest's table. */
  private void endPoll(ConnGroups g, PollSeries p) {
    if (p.reads < Usage.POLL_MIN_RECORDED) {
      return;
    }
    Usage.PollKey key = new Usage.PollKey(p.session, p.op, p.path);
    polls.add(
        key,
        new Usage.Poll(
            p.reads,
            p.reads - 1,
            p.sumGapMs,
            p.sumGapSqMs,
            p.minGapMs,
            p.maxGapMs,
            p.firstNanos,
            p.lastNanos,
            new Usage.Sample(p.firstNanos, g.client, p.session, p.firstXid)));
    p.reads = 0;
  }

  /** Frames and child lists past the floors, per (op, path). */
  private void large(ConnGroups g, long sessionId, ZkRequest r, ZkReply reply) {
    int children =
        reply.body() instanceof ReplyBody.Count c
                && (r.op() == Op.GET_CHILDREN || r.op() == Op.GET_CHILDREN2)
            ? c.count()
            : 0;
    if (r.frameBytes() < Usage.LARGE_FLOOR_BYTES
        && reply.frameBytes() < Usage.LARGE_FLOOR_BYTES
        && children < Usage.CHILDREN_FLOOR) {
      return;
    }
    Usage.LargeKey key = new Usage.LargeKey(r.op(), r.path() != null ? r.path() : "-");
    if (!large.admits(key)) {
      return;
    }
    AbstractHistogram req = Latency.fine();
    AbstractHistogram rep = Latency.fine();
    AbstractHistogram kids = Latency.fine();
    if (r.frameBytes() >= Usage.LARGE_FLOOR_BYTES) {
      req.recordValue(r.frameBytes());
    }
    if (reply.frameBytes() >= Usage.LARGE_FLOOR_BYTES) {
      rep.recordValue(reply.frameBytes());
    }
    if (children >= Usage.CHILDREN_FLOOR) {
      kids.recordValue(children);
    }
    large.add(
        key,
        new Usage.Large(
            new Latency(req),
            new Latency(rep),
            new Latency(kids),
            Usage.Few.of(g.client),
            Math.max(r.frameBytes(), reply.frameBytes()),
            new Usage.Sample(r.timeNanos(), g.client, sessionId, r.xid())));
  }

  @Override
  public void fourLetterWord(
      ConnectionMeta conn, String command, long requestNanos, long answerBytes, long endNanos) {
    counters[Counter.FOUR_LETTER_WORDS.ordinal()]++;
    // Commands come from a fixed list (FourLetterWords), so this map stays small.
    long[] v = fourLetter.computeIfAbsent(command, c -> new long[2]);
    v[0]++;
    v[1] += answerBytes;
  }

  @Override
  public void pending(ConnectionMeta conn, long sessionId, ZkRequest r) {
    counters[Counter.UNANSWERED.ordinal()]++;
  }

  @Override
  public void decodeError(ConnectionMeta conn, Direction dir, String reason, long nanos) {
    counters[Counter.DECODE_ERRORS.ordinal()]++;
    decodeReasons.get(reason, StableHash.of(reason))[0]++;
  }

  @Override
  public void skipped(ConnectionMeta conn, Direction dir, long bytes) {
    counters[Counter.SKIPPED_BYTES.ordinal()] += bytes;
  }

  @Override
  public void ignored(String server, int flows, long bytes) {
    counters[Counter.IGNORED_FLOWS.ordinal()] += flows;
    counters[Counter.IGNORED_BYTES.ordinal()] += bytes;
    long[] v = ignored.get(server, StableHash.of(server));
    v[0] += flows;
    v[1] += bytes;
  }

  private void seen(long nanos) {
    if (nanos < firstNanos) {
      firstNanos = nanos;
    }
    if (nanos > lastNanos) {
      lastNanos = nanos;
    }
  }

  /**
   * Who the connection speaks for from this request on: the digest user of an auth packet, the
   * principal of a SASL token that names it in clear. A second identity replaces the first.
   */
  private void authenticated(ConnGroups g, ZkRequest r) {
    String id = null;
    if (r.body() instanceof RequestBody.Auth a && a.user() != null) {
      id = a.scheme() + ":" + a.user();
    } else if (r.body() instanceof RequestBody.Sasl s && s.principal() != null) {
      id = "sasl:" + s.principal();
    }
    if (id != null && !id.equals(g.identity)) {
      g.identity = id;
      g.identityStats = identities.get(id, StableHash.of(id));
      g.identityStats.connection();
    }
  }

  private ConnGroups groups(ConnectionMeta conn) {
    ConnGroups g = perConnection.get(conn);
    if (g == null) {
      g = new ConnGroups();
      g.client = conn.clientIp();
      g.clientHash = StableHash.of(g.client);
      g.clientStats = clients.get(g.client, g.clientHash);
      perConnection.put(conn, g);
    }
    return g;
  }

  private Stats session(ConnGroups g, long sessionId) {
    if (g.sessionId != sessionId || g.session == null) {
      g.sessionId = sessionId;
      g.session = sessions.get(sessionId, StableHash.mix(sessionId));
    }
    return g.session.live();
  }

  // ---- the end of a phase ----

  /**
   * Everything recorded, as an immutable snapshot that takes this digest's histograms over: this
   * digest must not be written afterwards.
   */
  public DigestSnapshot snapshot() {
    DigestSnapshot.Builder b = new DigestSnapshot.Builder(limits);
    b.seen(firstNanos, lastNanos);
    for (Counter c : Counter.values()) {
      b.counter(c, counters[c.ordinal()]);
    }
    b.sizes(new Latency(requestSizes), new Latency(responseSizes));
    classes.forEach((op, pattern, hash, st) -> b.clazz(op, pattern, st.freeze()));
    clients.forEach((ip, st) -> b.client(ip, st.freeze()));
    if (clients.otherOrNull() != null) {
      b.client(OTHER, clients.otherOrNull().freeze());
    }
    b.clientsOverflowed(clients.overflowed());
    if (limits.sessions() > 0) {
      sessions.forEach((id, st) -> b.session(id, st.freeze()));
      if (sessions.otherOrNull() != null) {
        b.session(DigestSnapshot.OTHER_SESSION, sessions.otherOrNull().freeze());
      }
    }
    b.sessionIds(new DigestSnapshot.Sketch(sessionIds.hashes(), sessionIds.overflowed()));
    events.forEachType(b::eventType);
    events.forEachPattern(b::eventPattern);
    for (Op op : Op.values()) {
      if (multiSubOps[op.ordinal()] > 0) {
        b.multiSubOp(op.zkName(), multiSubOps[op.ordinal()]);
      }
    }
    for (Op op : Op.values()) {
      long[] byCode = multiSubResults[op.ordinal()];
      for (int i = 0; byCode != null && i < CODES; i++) {
        if (byCode[i] > 0) {
          b.multiSubResult(op.zkName(), KeeperErrors.name(codeAt(i)), byCode[i]);
        }
      }
    }
    fourLetter.forEach((cmd, v) -> b.fourLetterWord(cmd, v[0], v[1]));
    decodeReasons.forEach((reason, n) -> b.decodeReason(reason, n[0]));
    if (decodeReasons.otherOrNull() != null) {
      b.decodeReason(OTHER, decodeReasons.otherOrNull()[0]);
    }
    ignored.forEach((server, v) -> b.ignored(server, v[0], v[1]));
    if (ignored.otherOrNull() != null) {
      b.ignored(OTHER, ignored.otherOrNull()[0], ignored.otherOrNull()[1]);
    }
    pairs.forEach(b::pair);
    identities.forEach((id, st) -> b.identity(id, st.freeze()));
    if (identities.otherOrNull() != null) {
      b.identity(OTHER, identities.otherOrNull().freeze());
    }
    Map<Long, ClassKey> classNames = new java.util.HashMap<>();
    classes.forEach(
        (op, pattern, hash, st) -> {
          if (!pattern.equals(OTHER)) {
            classNames.put(hash, new ClassKey(op, pattern));
          }
        });
    b.timeline(timeline.snapshot(classNames));
    for (ConnGroups g : perConnection.values()) {
      endPolls(g);
    }
    Map<ClassKey, Usage.ClassSamples> samples = new java.util.HashMap<>();
    classes.forEach(
        (op, pattern, hash, st) -> {
          if (st.samples() != null) {
            samples.merge(new ClassKey(op, pattern), st.samples(), Usage.ClassSamples::plus);
          }
        });
    Map<String, Usage.Churn> churnByClient = new java.util.HashMap<>();
    churn.forEach((ip, c) -> churnByClient.put(ip, c.freeze()));
    if (churn.otherOrNull() != null) {
      churnByClient.put(OTHER, churn.otherOrNull().freeze());
    }
    b.usage(new Usage(herds.toMap(), polls.toMap(), large.toMap(), churnByClient, samples));
    paths.forEach(
        (op, path, requests, errors, requestBytes, responseBytes, badVersions) ->
            b.path(
                op,
                path,
                new DigestSnapshot.PathStats(
                    requests, errors, requestBytes, responseBytes, badVersions)));
    return b.build();
  }
}
