package dev.zkdigest.quorum;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BinaryOperator;

/**
 * What a {@link QuorumRecorder} saw, frozen: counts, latencies, the raw election and role logs,
 * syncs, epochs, and who is who. Two snapshots merge exactly and associatively (counts and
 * histograms add, logs keep the latest entries of their union, identities unite), so per-file or
 * per-thread results combine into one. Elections are not stored but derived ({@link #elections()})
 * from the merged logs, since a vote is only understood next to every other server's.
 *
 * <p>Proposals are counted once per zxid within one recorder; merging snapshots of the same
 * ensemble recorded twice (two capture points) adds them twice.
 */
public record QuorumSnapshot(
    long firstNanos,
    long lastNanos,
    Traffic traffic,
    Identities identities,
    Log<Notice> notices,
    Log<RoleEvent> roles,
    Map<String, Long> proposals,
    long proposalsFirstNanos,
    long proposalsLastNanos,
    Latency quorumCommit,
    Map<LearnerKey, FollowerStats> followers,
    Log<SyncRecord> syncs,
    Map<Long, EpochSighting> epochs) {

  /** Notifications kept for deriving elections: about 80 bytes each. */
  public static final int MAX_NOTICES = 20_000;

  /** Role events (learners joining, leaders answering) kept. */
  public static final int MAX_ROLES = 10_000;

  public static final int MAX_SYNCS = 1_000;

  /** Learners tracked one by one; beyond, they fold into {@link LearnerKey#OTHER}. */
  public static final int MAX_FOLLOWERS = 256;

  public static final int MAX_EPOCHS = 1_000;

  public static final QuorumSnapshot EMPTY =
      new QuorumSnapshot(
          0,
          0,
          Traffic.EMPTY,
          Identities.EMPTY,
          Log.empty(),
          Log.empty(),
          Map.of(),
          0,
          0,
          Latency.EMPTY,
          Map.of(),
          Log.empty(),
          Map.of());

  public QuorumSnapshot {
    proposals = Map.copyOf(proposals);
    followers = Map.copyOf(followers);
    epochs = Map.copyOf(epochs);
  }

  /** Whether any quorum traffic was seen. */
  public boolean isEmpty() {
    return traffic.electionConnections() == 0 && traffic.zabConnections() == 0;
  }

  // ---- parts ----

  /**
   * Entries of a bounded log, oldest first.
   *
   * @param seen entries ever recorded, kept or not
   */
  public record Log<T>(List<T> kept, long seen) {
    public Log {
      kept = List.copyOf(kept);
    }

    static <T> Log<T> empty() {
      return new Log<>(List.of(), 0);
    }

    public long dropped() {
      return seen - kept.size();
    }

    /** The latest {@code max} entries of both, by {@code order}. */
    Log<T> merge(Log<T> other, Comparator<T> order, int max) {
      List<T> all = new ArrayList<>(kept);
      all.addAll(other.kept);
      all.sort(order);
      List<T> latest = all.size() > max ? all.subList(all.size() - max, all.size()) : all;
      return new Log<>(latest, seen + other.seen);
    }
  }

  /** Connections, bytes and packets of both protocols, and what could not be decoded. */
  public record Traffic(
      long electionConnections,
      long zabConnections,
      long tlsConnections,
      long authPackets,
      long electionBytes,
      long zabBytes,
      long initialMessages,
      long notifications,
      Map<String, Long> packets,
      long snapshots,
      long snapshotBytes,
      long decodeErrors,
      Map<String, Long> decodeErrorReasons,
      long skippedBytes) {
    /** Reasons kept by name; beyond, they count under "other". */
    static final int MAX_REASONS = 100;

    static final Traffic EMPTY =
        new Traffic(0, 0, 0, 0, 0, 0, 0, 0, Map.of(), 0, 0, 0, Map.of(), 0);

    public Traffic {
      packets = sorted(packets);
      decodeErrorReasons = sorted(decodeErrorReasons);
    }

    public long packetsTotal() {
      return packets.values().stream().mapToLong(Long::longValue).sum();
    }

    Traffic merge(Traffic o) {
      return new Traffic(
          electionConnections + o.electionConnections,
          zabConnections + o.zabConnections,
          tlsConnections + o.tlsConnections,
          authPackets + o.authPackets,
          electionBytes + o.electionBytes,
          zabBytes + o.zabBytes,
          initialMessages + o.initialMessages,
          notifications + o.notifications,
          add(packets, o.packets),
          snapshots + o.snapshots,
          snapshotBytes + o.snapshotBytes,
          decodeErrors + o.decodeErrors,
          capped(add(decodeErrorReasons, o.decodeErrorReasons), MAX_REASONS),
          skippedBytes + o.skippedBytes);
    }
  }

  /**
   * One leader-election notification as sent.
   *
   * @param sender the sender's id when its connection said it, else -1
   * @param senderAddress where it came from: the accepting server's {@code ip:port}, or the
   *     connecting server's IP; resolved through {@link Identities}
   * @param configVersion the sender's configuration version, or -1
   */
  public record Notice(
      long nanos,
      long sender,
      String senderAddress,
      ServerState state,
      long leader,
      long zxid,
      long electionEpoch,
      long peerEpoch,
      long configVersion) {

    static final Comparator<Notice> ORDER =
        Comparator.comparingLong(Notice::nanos)
            .thenComparingLong(Notice::sender)
            .thenComparing(Notice::senderAddress)
            .thenComparing(Notice::state)
            .thenComparingLong(Notice::leader)
            .thenComparingLong(Notice::zxid)
            .thenComparingLong(Notice::electionEpoch)
            .thenComparingLong(Notice::peerEpoch)
            .thenComparingLong(Notice::configVersion);
  }

  /** What a role event says about who leads. */
  public enum RoleKind {
    /** A follower sent FOLLOWERINFO: it has decided, and follows the server it connected to. */
    FOLLOWER_JOINED,
    /** An observer sent OBSERVERINFO. */
    OBSERVER_JOINED,
    /** A leader answered a learner with LEADERINFO: it leads, in {@code epoch}. */
    LEADER_INFO
  }

  /**
   * A learner joining its leader, or the leader answering it.
   *
   * @param learner the learner's id from its LearnerInfo, or -1
   * @param learnerIp the learner's address
   * @param leaderAddress the leader's quorum {@code ip:port}
   * @param epoch the epoch of LEADERINFO, else -1
   */
  public record RoleEvent(
      long nanos, RoleKind kind, long learner, String learnerIp, String leaderAddress, long epoch) {
    static final Comparator<RoleEvent> ORDER =
        Comparator.comparingLong(RoleEvent::nanos)
            .thenComparing(RoleEvent::kind)
            .thenComparingLong(RoleEvent::learner)
            .thenComparing(RoleEvent::learnerIp)
            .thenComparing(RoleEvent::leaderAddress)
            .thenComparingLong(RoleEvent::epoch);
  }

  /**
   * A learner's sync with its leader (see {@code dev.zkdigest.quorum.ZabSync}).
   *
   * @param mode DIFF, TRUNC or SNAP, or "NONE" when the leader sent none of them
   */
  public record SyncRecord(
      long startNanos,
      long endNanos,
      long learner,
      String learnerIp,
      String leaderAddress,
      String mode,
      long epoch,
      long bytes,
      long snapshotBytes,
      int proposals,
      boolean complete) {
    static final Comparator<SyncRecord> ORDER =
        Comparator.comparingLong(SyncRecord::startNanos)
            .thenComparingLong(SyncRecord::endNanos)
            .thenComparingLong(SyncRecord::learner)
            .thenComparing(SyncRecord::learnerIp)
            .thenComparing(SyncRecord::leaderAddress)
            .thenComparing(SyncRecord::mode)
            .thenComparingLong(SyncRecord::bytes);

    public long durationNanos() {
      return Math.max(0, endNanos - startNanos);
    }
  }

  /**
   * When an epoch was first seen, and from which leader address.
   *
   * @param leaderAddress the leader's quorum {@code ip:port}
   */
  public record EpochSighting(long epoch, long firstNanos, String leaderAddress) {
    EpochSighting earlier(EpochSighting o) {
      if (o.firstNanos != firstNanos) {
        return o.firstNanos < firstNanos ? o : this;
      }
      return o.leaderAddress.compareTo(leaderAddress) < 0 ? o : this;
    }
  }

  /**
   * A learner as its connections name it: its id from LearnerInfo, or its IP when the handshake was
   * not seen (resolved through {@link Identities} when shown).
   */
  public record LearnerKey(long sid, String ip) implements Comparable<LearnerKey> {
    /** Learners beyond {@link #MAX_FOLLOWERS}. */
    public static final LearnerKey OTHER = new LearnerKey(-1, "{other}");

    static LearnerKey of(long sid, String ip) {
      return sid >= 0 ? new LearnerKey(sid, "") : new LearnerKey(-1, ip);
    }

    @Override
    public int compareTo(LearnerKey o) {
      int c = Long.compare(sid, o.sid);
      return c != 0 ? c : ip.compareTo(o.ip);
    }
  }

  /** One learner's traffic with its leader. */
  public record FollowerStats(
      Latency ack,
      Latency commit,
      Map<String, Long> forwarded,
      long proposals,
      long informs,
      long commits,
      long pings,
      long pingReplies,
      long sessionsTouched,
      long revalidations,
      long revalidationsRefused,
      long connections,
      boolean observer) {

    static final FollowerStats EMPTY =
        new FollowerStats(Latency.EMPTY, Latency.EMPTY, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, false);

    public FollowerStats {
      forwarded = sorted(forwarded);
    }

    public long forwardedTotal() {
      return forwarded.values().stream().mapToLong(Long::longValue).sum();
    }

    FollowerStats merge(FollowerStats o) {
      return new FollowerStats(
          ack.merge(o.ack),
          commit.merge(o.commit),
          add(forwarded, o.forwarded),
          proposals + o.proposals,
          informs + o.informs,
          commits + o.commits,
          pings + o.pings,
          pingReplies + o.pingReplies,
          sessionsTouched + o.sessionsTouched,
          revalidations + o.revalidations,
          revalidationsRefused + o.revalidationsRefused,
          connections + o.connections,
          observer || o.observer);
    }
  }

  // ---- merge ----

  public QuorumSnapshot merge(QuorumSnapshot o) {
    return new QuorumSnapshot(
        minNonZero(firstNanos, o.firstNanos),
        Math.max(lastNanos, o.lastNanos),
        traffic.merge(o.traffic),
        identities.merge(o.identities),
        notices.merge(o.notices, Notice.ORDER, MAX_NOTICES),
        roles.merge(o.roles, RoleEvent.ORDER, MAX_ROLES),
        add(proposals, o.proposals),
        minNonZero(proposalsFirstNanos, o.proposalsFirstNanos),
        Math.max(proposalsLastNanos, o.proposalsLastNanos),
        quorumCommit.merge(o.quorumCommit),
        foldFollowers(mergeMaps(followers, o.followers, FollowerStats::merge)),
        syncs.merge(o.syncs, SyncRecord.ORDER, MAX_SYNCS),
        latestEpochs(mergeMaps(epochs, o.epochs, EpochSighting::earlier)));
  }

  /** Learners past the first {@link #MAX_FOLLOWERS} (in key order) fold into OTHER. */
  static Map<LearnerKey, FollowerStats> foldFollowers(TreeMap<LearnerKey, FollowerStats> m) {
    FollowerStats other = m.remove(LearnerKey.OTHER);
    while (m.size() > MAX_FOLLOWERS) {
      FollowerStats last = m.pollLastEntry().getValue();
      other = other == null ? last : other.merge(last);
    }
    if (other != null) {
      m.put(LearnerKey.OTHER, other);
    }
    return m;
  }

  static Map<Long, EpochSighting> latestEpochs(TreeMap<Long, EpochSighting> m) {
    while (m.size() > MAX_EPOCHS) {
      m.pollFirstEntry();
    }
    return m;
  }

  private static long minNonZero(long a, long b) {
    return a == 0 ? b : b == 0 ? a : Math.min(a, b);
  }

  static Map<String, Long> add(Map<String, Long> a, Map<String, Long> b) {
    return mergeMaps(a, b, Long::sum);
  }

  static <K, V> TreeMap<K, V> mergeMaps(Map<K, V> a, Map<K, V> b, BinaryOperator<V> f) {
    TreeMap<K, V> m = new TreeMap<>(a);
    b.forEach((k, v) -> m.merge(k, v, f));
    return m;
  }

  /** At most {@code max} keys, in key order; the rest add up under "other". */
  static Map<String, Long> capped(Map<String, Long> m, int max) {
    TreeMap<String, Long> t = new TreeMap<>(m);
    long other = t.getOrDefault("other", 0L);
    t.remove("other");
    while (t.size() > max) {
      other += t.pollLastEntry().getValue();
    }
    if (other > 0) {
      t.put("other", other);
    }
    return t;
  }

  static Map<String, Long> sorted(Map<String, Long> m) {
    return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }

  // ---- views ----

  /**
   * Elections, oldest first, derived from the notifications and role events (see {@link
   * Elections}).
   */
  public List<Election> elections() {
    return Elections.derive(notices.kept(), roles.kept(), identities);
  }

  /** Each learner under its id when known (IPs resolved through the identities), else its IP. */
  public Map<String, FollowerStats> followersByName() {
    TreeMap<LearnerKey, FollowerStats> resolved = new TreeMap<>();
    followers.forEach(
        (k, v) -> {
          LearnerKey key = k;
          if (k.sid() < 0 && !k.equals(LearnerKey.OTHER)) {
            long sid = identities.resolve(k.ip());
            if (sid >= 0) {
              key = LearnerKey.of(sid, "");
            }
          }
          resolved.merge(key, v, FollowerStats::merge);
        });
    Map<String, FollowerStats> out = new java.util.LinkedHashMap<>();
    resolved.forEach((k, v) -> out.put(k.sid() >= 0 ? Long.toString(k.sid()) : k.ip(), v));
    return out;
  }

  /** Epochs in order, each with the id of its leader (-1 when unknown). */
  public List<Epoch> epochList() {
    List<Epoch> out = new ArrayList<>();
    new TreeMap<>(epochs)
        .values()
        .forEach(
            e ->
                out.add(
                    new Epoch(
                        e.epoch(),
                        e.firstNanos(),
                        identities.resolve(e.leaderAddress()),
                        e.leaderAddress())));
    return out;
  }

  /** An epoch and the leader that ran it. */
  public record Epoch(long epoch, long firstNanos, long leader, String leaderAddress) {}

  /** Total proposals (once per zxid). */
  public long proposalsTotal() {
    return proposals.values().stream().mapToLong(Long::longValue).sum();
  }
}
