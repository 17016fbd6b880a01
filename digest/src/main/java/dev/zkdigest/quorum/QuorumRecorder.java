package dev.zkdigest.quorum;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.quorum.QuorumSnapshot.EpochSighting;
import dev.zkdigest.quorum.QuorumSnapshot.LearnerKey;
import dev.zkdigest.quorum.QuorumSnapshot.Notice;
import dev.zkdigest.quorum.QuorumSnapshot.RoleEvent;
import dev.zkdigest.quorum.QuorumSnapshot.RoleKind;
import dev.zkdigest.quorum.QuorumSnapshot.SyncRecord;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.HdrHistogram.Histogram;

/**
 * Records what the quorum codecs report: the quorum digest. Counts and latencies are kept as they
 * come; notifications and role events are logged (bounded) so elections can be derived once every
 * server's votes are in. Server ids are learned from the addresses servers announce (initial
 * messages, the configuration in notifications) besides {@code --ensemble}; never from the address
 * a connection comes from, which may be any of its host's.
 *
 * <p>Memory is bounded: at most {@link QuorumSnapshot#MAX_NOTICES} notifications (about 80 bytes
 * each), {@link QuorumSnapshot#MAX_ROLES} role events, {@link QuorumSnapshot#MAX_SYNCS} syncs,
 * {@link QuorumSnapshot#MAX_EPOCHS} epochs, {@link QuorumSnapshot#MAX_FOLLOWERS} learners (two
 * histograms each, a few KiB) and {@link Identities#MAX_ENTRIES} identities: a few MiB at most.
 *
 * <p>Threading: single writer. One thread feeds it (all quorum traffic goes to one tracker); {@link
 * #snapshot()} is called by that thread or after it stopped.
 */
public final class QuorumRecorder implements QuorumListener {
  private long firstNanos;
  private long lastNanos;

  // traffic
  private long electionConnections;
  private long zabConnections;
  private long tlsConnections;
  private long authPackets;
  private long electionBytes;
  private long zabBytes;
  private long initialMessages;
  private long notifications;

  /** Packets by type, indexed by {@link ZabType#ordinal()}: counted on every packet, unboxed. */
  private final long[] packets = new long[ZabType.values().length];

  private long snapshots;
  private long snapshotBytes;
  private long decodeErrors;
  private final Map<String, Long> decodeErrorReasons = new HashMap<>();
  private long skippedBytes;

  // identities
  private final TreeMap<String, Long> endpoints = new TreeMap<>();
  private final TreeMap<String, Set<Long>> ips = new TreeMap<>();

  // logs
  private final ArrayDeque<Notice> notices = new ArrayDeque<>();
  private long noticesSeen;
  private final ArrayDeque<RoleEvent> roles = new ArrayDeque<>();
  private long rolesSeen;
  private final ArrayDeque<SyncRecord> syncs = new ArrayDeque<>();
  private long syncsSeen;

  // proposals and commits, once per zxid
  private final Map<String, Long> proposals = new HashMap<>();
  private long maxProposalZxid = Long.MIN_VALUE;
  private long proposalsFirstNanos;
  private long proposalsLastNanos;

  /** Proposals' first sending, for the quorum commit time: 64 Ki zxids, 1 MiB. */
  private final ZxidTimes proposed = new ZxidTimes(1 << 16);

  private final Histogram quorumCommit = new Histogram(Latency.DIGITS);
  private long quorumCommitSum;
  private long maxCommittedZxid = Long.MIN_VALUE;

  private final TreeMap<LearnerKey, Learner> followers = new TreeMap<>();
  private final TreeMap<Long, EpochSighting> epochs = new TreeMap<>();

  /**
   * Each open ZAB connection's learner, so a packet finds its counters without building a key: the
   * connection's learner id may still change (FOLLOWERINFO), so the id is kept with it.
   */
  private final java.util.IdentityHashMap<ConnectionMeta, LearnerSlot> byConnection =
      new java.util.IdentityHashMap<>();

  /** A connection's learner and the id it was found under. */
  private static final class LearnerSlot {
    long sid;
    Learner learner;
  }

  /** The epoch of the last leader packet, whose sighting needs no update while it lasts. */
  private long lastEpoch = -1;

  /** One learner's counters and latencies while recording. */
  private static final class Learner {
    final Histogram ack = new Histogram(Latency.DIGITS);
    final Histogram commit = new Histogram(Latency.DIGITS);
    long ackSum;
    long commitSum;
    final Map<String, Long> forwarded = new HashMap<>();
    long proposals;
    long informs;
    long commits;
    long pings;
    long pingReplies;
    long sessionsTouched;
    long revalidations;
    long revalidationsRefused;
    long connections;
    boolean observer;

    QuorumSnapshot.FollowerStats freeze() {
      return new QuorumSnapshot.FollowerStats(
          Latency.of(ack, ackSum),
          Latency.of(commit, commitSum),
          forwarded,
          proposals,
          informs,
          commits,
          pings,
          pingReplies,
          sessionsTouched,
          revalidations,
          revalidationsRefused,
          connections,
          observer);
    }
  }

  public QuorumRecorder() {
    this(Identities.EMPTY);
  }

  /** A recorder that already knows these servers (from {@code --ensemble}). */
  public QuorumRecorder(Identities known) {
    endpoints.putAll(known.endpoints());
    known.ips().forEach((k, v) -> ips.put(k, new TreeSet<>(v)));
  }

  /** The identities a quorum configuration ({@code zoo.cfg}, a notification's) gives. */
  public static Identities identities(QuorumConfig config) {
    QuorumRecorder r = new QuorumRecorder();
    r.learn(config);
    return r.identitiesNow();
  }

  // ---- QuorumListener ----

  @Override
  public void opened(ConnectionMeta conn, QuorumProtocol protocol) {
    seen(conn.openedNanos());
    if (protocol == QuorumProtocol.ELECTION) {
      electionConnections++;
    } else {
      zabConnections++;
    }
  }

  @Override
  public void bytes(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, int bytes, long nanos) {
    seen(nanos);
    if (protocol == QuorumProtocol.ELECTION) {
      electionBytes += bytes;
    } else {
      zabBytes += bytes;
    }
  }

  @Override
  public void election(
      ConnectionMeta conn, Direction dir, long senderSid, ElectionMessage message, long nanos) {
    if (message instanceof ElectionMessage.Initial m) {
      initialMessages++;
      // Only the addresses a server announces name it: the address it connects from may be any of
      // its host's (on one host with several loopback addresses, all of them connect from
      // 127.0.0.1).
      for (String a : m.addresses()) {
        String[] hp = Addresses.hostPort(a);
        if (hp == null) {
          continue;
        }
        int port;
        try {
          port = Integer.parseInt(hp[1]);
        } catch (NumberFormatException e) {
          continue;
        }
        for (String ip : Addresses.ips(hp[0])) {
          addEndpoint(Addresses.endpoint(ip, port), m.sid());
          addIp(ip, m.sid());
        }
      }
    } else if (message instanceof ElectionMessage.Notification n) {
      notifications++;
      if (n.config() != null) {
        learn(n.config());
      }
      String from = dir == Direction.SERVER_TO_CLIENT ? conn.server() : conn.clientIp();
      Notice notice =
          new Notice(
              nanos,
              senderSid,
              from,
              n.state(),
              n.leader(),
              n.zxid(),
              n.electionEpoch(),
              n.peerEpoch(),
              n.configVersion());
      noticesSeen++;
      if (notices.size() == QuorumSnapshot.MAX_NOTICES) {
        notices.pollFirst();
      }
      notices.addLast(notice);
    }
  }

  @Override
  public void zab(
      ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket p) {
    packets[p.type().ordinal()]++;
    boolean fromLeader = dir == Direction.SERVER_TO_CLIENT;
    boolean live = phase == ZabPhase.BROADCAST || phase == ZabPhase.UNKNOWN;
    Learner learner = learnerOf(conn, learnerSid);
    switch (p.type()) {
      case FOLLOWERINFO, OBSERVERINFO -> {
        if (!fromLeader) {
          learner.connections++;
          learner.observer |= p.type() == ZabType.OBSERVERINFO;
          role(
              p.nanos(),
              p.type() == ZabType.OBSERVERINFO
                  ? RoleKind.OBSERVER_JOINED
                  : RoleKind.FOLLOWER_JOINED,
              learnerSid,
              conn,
              -1);
        }
      }
      case LEADERINFO -> {
        if (fromLeader) {
          role(p.nanos(), RoleKind.LEADER_INFO, learnerSid, conn, p.epoch());
        }
      }
      case PROPOSAL -> {
        if (fromLeader) {
          learner.proposals++;
          if (live) {
            proposed.first(p.zxid(), p.nanos());
          }
          if (live && p.zxid() > maxProposalZxid) {
            maxProposalZxid = p.zxid();
            proposals.merge(txnName(p.body()), 1L, Long::sum);
            if (proposalsFirstNanos == 0) {
              proposalsFirstNanos = p.nanos();
            }
            proposalsLastNanos = p.nanos();
          }
        }
      }
      case INFORM, INFORMANDACTIVATE -> {
        if (fromLeader) {
          learner.informs++;
          learner.observer = true;
        }
      }
      case COMMIT, COMMITANDACTIVATE -> {
        if (fromLeader) {
          learner.commits++;
        }
      }
      case REQUEST -> {
        if (!fromLeader && p.body() instanceof ZabBody.ForwardedRequest r) {
          learner.forwarded.merge(
              r.op() != null ? r.op().zkName() : "type " + r.type(), 1L, Long::sum);
        } else if (!fromLeader) {
          learner.forwarded.merge("unknown", 1L, Long::sum);
        }
      }
      case PING -> {
        if (fromLeader) {
          learner.pings++;
        } else {
          learner.pingReplies++;
          if (p.body() instanceof ZabBody.Touches t) {
            learner.sessionsTouched += t.sessions();
          }
        }
      }
      case REVALIDATE -> {
        if (!fromLeader) {
          learner.revalidations++;
        } else if (p.body() instanceof ZabBody.RevalidateReply r && !r.valid()) {
          learner.revalidationsRefused++;
        }
      }
      default -> {}
    }
    if (fromLeader && p.zxid() != -1 && p.epoch() > 0) {
      switch (p.type()) {
        case LEADERINFO, NEWLEADER, PROPOSAL, COMMIT, COMMITANDACTIVATE, PING, INFORM -> {
          if (p.epoch() == lastEpoch) {
            break; // seen already, earlier (packets come in time order within a connection)
          }
          lastEpoch = p.epoch();
          EpochSighting known = epochs.get(p.epoch());
          if (known == null || p.nanos() <= known.firstNanos()) {
            EpochSighting s = new EpochSighting(p.epoch(), p.nanos(), conn.server());
            epochs.put(p.epoch(), known == null ? s : known.earlier(s));
            while (epochs.size() > QuorumSnapshot.MAX_EPOCHS) {
              epochs.pollFirstEntry();
            }
          }
        }
        default -> {}
      }
    }
  }

  @Override
  public void proposalAcked(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long ackNanos) {
    Learner l = learnerOf(conn, learnerSid);
    long us = micros(ackNanos - proposedNanos);
    l.ack.recordValue(us);
    l.ackSum += us;
  }

  @Override
  public void proposalCommitted(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long commitNanos) {
    Learner l = learnerOf(conn, learnerSid);
    long us = micros(commitNanos - proposedNanos);
    l.commit.recordValue(us);
    l.commitSum += us;
    if (zxid > maxCommittedZxid) {
      // The quorum's commit time: from the zxid's first PROPOSAL on any connection to its first
      // COMMIT (to a slow follower, both may leave the leader together, long after the others').
      maxCommittedZxid = zxid;
      long first = proposed.get(zxid);
      long quorumUs =
          micros(commitNanos - (first >= 0 ? Math.min(first, proposedNanos) : proposedNanos));
      quorumCommit.recordValue(quorumUs);
      quorumCommitSum += quorumUs;
    }
  }

  @Override
  public void synced(ConnectionMeta conn, ZabSync s) {
    syncsSeen++;
    if (syncs.size() == QuorumSnapshot.MAX_SYNCS) {
      syncs.pollFirst();
    }
    syncs.addLast(
        new SyncRecord(
            s.startNanos(),
            s.endNanos(),
            s.learnerSid(),
            conn.clientIp(),
            conn.server(),
            s.mode() == null ? "NONE" : s.mode().name(),
            s.epoch(),
            s.bytes(),
            s.snapshotBytes(),
            s.proposals(),
            s.complete()));
  }

  @Override
  public void snapshot(
      ConnectionMeta conn, long bytes, boolean complete, long startNanos, long endNanos) {
    snapshots++;
    snapshotBytes += bytes;
  }

  @Override
  public void authPacket(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long nanos) {
    authPackets++;
  }

  @Override
  public void tls(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {
    tlsConnections++;
  }

  @Override
  public void closed(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {
    byConnection.remove(conn);
  }

  @Override
  public void decodeError(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, String reason, long nanos) {
    decodeErrors++;
    String key = protocol.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    if (decodeErrorReasons.containsKey(key)
        || decodeErrorReasons.size() < QuorumSnapshot.Traffic.MAX_REASONS) {
      decodeErrorReasons.merge(key, 1L, Long::sum);
    } else {
      decodeErrorReasons.merge("other", 1L, Long::sum);
    }
  }

  @Override
  public void skipped(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long bytes) {
    skippedBytes += bytes;
  }

  // ---- snapshot ----

  /** Everything recorded so far, frozen. */
  public QuorumSnapshot snapshot() {
    Map<String, Long> packetsByName = new TreeMap<>();
    for (ZabType t : ZabType.values()) {
      if (packets[t.ordinal()] > 0) {
        packetsByName.put(t.name(), packets[t.ordinal()]);
      }
    }
    TreeMap<LearnerKey, QuorumSnapshot.FollowerStats> frozen = new TreeMap<>();
    followers.forEach((k, v) -> frozen.put(k, v.freeze()));
    return new QuorumSnapshot(
        firstNanos,
        lastNanos,
        new QuorumSnapshot.Traffic(
            electionConnections,
            zabConnections,
            tlsConnections,
            authPackets,
            electionBytes,
            zabBytes,
            initialMessages,
            notifications,
            packetsByName,
            snapshots,
            snapshotBytes,
            decodeErrors,
            decodeErrorReasons,
            skippedBytes),
        identitiesNow(),
        new QuorumSnapshot.Log<>(new java.util.ArrayList<>(notices), noticesSeen),
        new QuorumSnapshot.Log<>(new java.util.ArrayList<>(roles), rolesSeen),
        proposals,
        proposalsFirstNanos,
        proposalsLastNanos,
        Latency.of(quorumCommit, quorumCommitSum),
        QuorumSnapshot.foldFollowers(frozen),
        new QuorumSnapshot.Log<>(new java.util.ArrayList<>(syncs), syncsSeen),
        new TreeMap<>(epochs));
  }

  // ---- helpers ----

  private Identities identitiesNow() {
    return new Identities(endpoints, ips);
  }

  private void learn(QuorumConfig config) {
    for (QuorumConfig.Member m : config.members()) {
      for (QuorumConfig.HostPort hp : m.election()) {
        for (String ip : Addresses.ips(hp.host())) {
          addEndpoint(Addresses.endpoint(ip, hp.port()), m.sid());
        }
      }
      for (QuorumConfig.HostPort hp : m.quorum()) {
        for (String ip : Addresses.ips(hp.host())) {
          addEndpoint(Addresses.endpoint(ip, hp.port()), m.sid());
          addIp(ip, m.sid());
        }
      }
    }
  }

  private void addEndpoint(String endpoint, long sid) {
    if (endpoints.size() < Identities.MAX_ENTRIES || endpoints.containsKey(endpoint)) {
      endpoints.putIfAbsent(endpoint, sid);
    }
  }

  private void addIp(String ip, long sid) {
    Set<Long> s = ips.get(ip);
    if (s == null) {
      if (ips.size() >= Identities.MAX_ENTRIES) {
        return;
      }
      s = new TreeSet<>();
      ips.put(ip, s);
    }
    if (s.size() < Identities.MAX_ENTRIES) {
      s.add(sid);
    }
  }

  private void role(long nanos, RoleKind kind, long learnerSid, ConnectionMeta conn, long epoch) {
    rolesSeen++;
    if (roles.size() == QuorumSnapshot.MAX_ROLES) {
      roles.pollFirst();
    }
    roles.addLast(new RoleEvent(nanos, kind, learnerSid, conn.clientIp(), conn.server(), epoch));
  }

  /** The learner of a ZAB connection, looked up once per connection and learner id. */
  private Learner learnerOf(ConnectionMeta conn, long sid) {
    LearnerSlot slot = byConnection.get(conn);
    if (slot == null) {
      slot = new LearnerSlot();
      slot.sid = Long.MIN_VALUE;
      byConnection.put(conn, slot);
    }
    if (slot.sid != sid) {
      slot.sid = sid;
      slot.learner = learner(sid, conn.clientIp());
    }
    return slot.learner;
  }

  private Learner learner(long sid, String ip) {
    LearnerKey key = LearnerKey.of(sid, ip);
    Learner l = followers.get(key);
    if (l == null) {
      if (followers.size() >= QuorumSnapshot.MAX_FOLLOWERS) {
        key = LearnerKey.OTHER;
        l = followers.get(key);
      }
      if (l == null) {
        l = new Learner();
        followers.put(key, l);
      }
    }
    return l;
  }

  private static String txnName(ZabBody body) {
    if (body instanceof ZabBody.Txn t) {
      return t.op() != null ? t.op().zkName() : "type " + t.type();
    }
    return "unknown";
  }

  private static long micros(long nanos) {
    return Math.max(0, nanos / 1_000);
  }

  private void seen(long nanos) {
    if (nanos <= 0) {
      return;
    }
    if (firstNanos == 0 || nanos < firstNanos) {
      firstNanos = nanos;
    }
    lastNanos = Math.max(lastNanos, nanos);
  }
}
