package dev.zkdigest.quorum;

import dev.zkdigest.quorum.QuorumSnapshot.Notice;
import dev.zkdigest.quorum.QuorumSnapshot.RoleEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Derives elections from notifications and role events, in time order. An election opens with a
 * LOOKING notification while none is open; every server that sends LOOKING is looking. A server
 * leaves LOOKING when it is seen to decide: a notification of its own in another state, its
 * FOLLOWERINFO or OBSERVERINFO to a leader, or, for the winner, a learner joining it or its
 * LEADERINFO. The election ends when every looking server left. Its winner is the leader those
 * exits (and the non-looking servers' replies) point to; failing that, the vote most looking
 * servers last cast. Its epoch is the one the winner's first LEADERINFO proposes.
 *
 * <p>A server that decided resends its last LOOKING vote when a connection to a peer it could not
 * reach before comes up ({@code QuorumCnxManager}'s SendWorker sends the last queued message): such
 * a copy of a vote from an election that is over neither opens an election nor makes its sender
 * looking. A genuine new round has a higher election epoch, or (after a restart) another vote.
 *
 * <p>An election with no exit seen within {@link #QUIET_NANOS} of its last notification, or by the
 * end of the input, is reported with no end (the capture saw no quorum traffic after the votes).
 */
final class Elections {
  /**
   * No election lasts this long without a notification: FastLeaderElection resends at least every
   * 60 s ({@code zookeeper.fastleader.maxNotificationInterval}) while it looks.
   */
  static final long QUIET_NANOS = 60_000_000_000L;

  /** Elections kept: the latest. */
  static final int MAX_ELECTIONS = 1_000;

  private Elections() {}

  /** A server as the traffic names it: its id, else its address. */
  private record Server(long sid, String address) {
    String name() {
      return sid >= 0 ? Long.toString(sid) : address;
    }
  }

  private static Server server(long sid, String address, Identities ids) {
    long resolved = sid >= 0 ? sid : ids.resolve(address);
    return resolved >= 0 ? new Server(resolved, "") : new Server(-1, address);
  }

  /** The election in progress. */
  private static final class Open {
    final long start;
    final Set<Server> looking = new LinkedHashSet<>();
    final Set<Server> exited = new LinkedHashSet<>();
    final Map<Server, Election.Vote> lastVote = new HashMap<>();
    final Set<Long> rounds = new java.util.TreeSet<>();
    final Map<Long, Integer> evidence = new TreeMap<>();
    final List<Election.Vote> votes = new ArrayList<>();
    long votesDropped;
    long notifications;
    long lastNotice;
    long lastExit = -1;
    long epoch = -1;

    Open(long start) {
      this.start = start;
      this.lastNotice = start;
    }

    void vote(Server s, Notice n) {
      notifications++;
      lastNotice = n.nanos();
      Election.Vote v =
          new Election.Vote(
              n.nanos(),
              s.sid(),
              s.address(),
              n.state(),
              n.leader(),
              n.zxid(),
              n.electionEpoch(),
              n.peerEpoch());
      Election.Vote last = lastVote.get(s);
      if (last != null
          && last.state() == v.state()
          && last.leader() == v.leader()
          && last.zxid() == v.zxid()
          && last.electionEpoch() == v.electionEpoch()
          && last.peerEpoch() == v.peerEpoch()) {
        return; // the same vote again, to another server or resent
      }
      lastVote.put(s, v);
      if (votes.size() < Election.MAX_VOTES) {
        votes.add(v);
      } else {
        votesDropped++;
      }
    }

    /** {@code s} decided; {@code leader} is the leader it follows or is, or -1. */
    void exit(Server s, long nanos, long leader) {
      if (leader >= 0) {
        evidence.merge(leader, 1, Integer::sum);
      }
      if (looking.contains(s) && exited.add(s)) {
        lastExit = nanos;
      }
    }

    /** The leader {@code s} last voted for in this election, or -1. */
    long votedFor(Server s) {
      Election.Vote v = lastVote.get(s);
      return v == null ? -1 : v.leader();
    }

    boolean allExited() {
      return !looking.isEmpty() && exited.containsAll(looking);
    }

    long winner() {
      long best = -1;
      int most = 0;
      for (Map.Entry<Long, Integer> e : evidence.entrySet()) {
        if (e.getValue() >= most) {
          best = e.getKey();
          most = e.getValue();
        }
      }
      if (best >= 0) {
        return best;
      }
      Map<Long, Integer> votesFor = new TreeMap<>();
      for (Server s : looking) {
        long l = votedFor(s);
        if (l >= 0) {
          votesFor.merge(l, 1, Integer::sum);
        }
      }
      for (Map.Entry<Long, Integer> e : votesFor.entrySet()) {
        if (e.getValue() >= most) {
          best = e.getKey();
          most = e.getValue();
        }
      }
      return best;
    }

    Election close(boolean confirmed) {
      List<String> names = new ArrayList<>();
      looking.stream().sorted(Elections::byName).forEach(s -> names.add(s.name()));
      return new Election(
          start,
          confirmed ? lastExit : -1,
          winner(),
          epoch,
          rounds.size(),
          names,
          votes,
          votesDropped,
          notifications,
          lastNotice);
    }
  }

  private static int byName(Server a, Server b) {
    if (a.sid() >= 0 && b.sid() >= 0) {
      return Long.compare(a.sid(), b.sid());
    }
    return a.name().compareTo(b.name());
  }

  static List<Election> derive(List<Notice> notices, List<RoleEvent> roles, Identities ids) {
    List<Object> events = new ArrayList<>(notices.size() + roles.size());
    events.addAll(notices);
    events.addAll(roles);
    // In time order; at one instant, notifications before role events (a vote precedes acting on
    // it), each kind in its own canonical order.
    events.sort(
        (a, b) -> {
          int c = Long.compare(nanos(a), nanos(b));
          if (c != 0) {
            return c;
          }
          if (a instanceof Notice na && b instanceof Notice nb) {
            return Notice.ORDER.compare(na, nb);
          }
          if (a instanceof RoleEvent ra && b instanceof RoleEvent rb) {
            return RoleEvent.ORDER.compare(ra, rb);
          }
          return a instanceof Notice ? -1 : 1;
        });
    List<Election> out = new ArrayList<>();
    // Across elections: each server's last LOOKING vote, and whether it decided since.
    Map<Server, Notice> lastLooking = new HashMap<>();
    Set<Server> decided = new java.util.HashSet<>();
    Open open = null;
    Election lastClosed = null;
    int lastClosedAt = -1;
    for (Object e : events) {
      long t = nanos(e);
      if (open != null && t - Math.max(open.lastNotice, open.lastExit) > QUIET_NANOS) {
        out.add(open.close(false));
        lastClosed = null;
        open = null;
      }
      if (e instanceof Notice n) {
        Server s = server(n.sender(), n.senderAddress(), ids);
        if (n.state() == ServerState.LOOKING) {
          if (decided.contains(s) && sameVote(lastLooking.get(s), n)) {
            continue; // an old vote resent to a peer that was unreachable, not a new round
          }
          decided.remove(s);
          lastLooking.put(s, n);
          if (open == null) {
            open = new Open(t);
            lastClosed = null;
          }
          open.looking.add(s);
          open.exited.remove(s);
          open.rounds.add(n.electionEpoch());
          open.vote(s, n);
        } else if (open != null) {
          open.vote(s, n);
          open.exit(s, t, n.state() == ServerState.LEADING ? s.sid() : n.leader());
        }
      } else if (e instanceof RoleEvent r) {
        Server learner = server(r.learner(), r.learnerIp(), ids);
        long leaderSid = ids.resolve(r.leaderAddress());
        if (open != null) {
          if (leaderSid < 0) {
            leaderSid = open.votedFor(learner);
          }
          if (r.kind() == QuorumSnapshot.RoleKind.LEADER_INFO) {
            if (open.epoch < 0) {
              open.epoch = r.epoch();
            }
          } else {
            open.exit(learner, t, leaderSid);
          }
          if (leaderSid >= 0) {
            open.exit(new Server(leaderSid, ""), t, leaderSid);
          }
        } else if (lastClosed != null
            && lastClosed.epoch() < 0
            && r.kind() == QuorumSnapshot.RoleKind.LEADER_INFO
            && (leaderSid < 0 || leaderSid == lastClosed.leader())) {
          // The winner's LEADERINFO usually follows the last follower's FOLLOWERINFO, which
          // closed the election: its epoch still belongs to it.
          lastClosed = withEpoch(lastClosed, r.epoch());
          out.set(lastClosedAt, lastClosed);
        }
      }
      if (open != null) {
        decided.addAll(open.exited);
      }
      if (open != null && open.allExited()) {
        lastClosed = open.close(true);
        out.add(lastClosed);
        lastClosedAt = out.size() - 1;
        open = null;
      }
    }
    if (open != null) {
      out.add(open.close(false));
    }
    return out.size() > MAX_ELECTIONS ? out.subList(out.size() - MAX_ELECTIONS, out.size()) : out;
  }

  private static boolean sameVote(Notice a, Notice b) {
    return a != null
        && a.leader() == b.leader()
        && a.zxid() == b.zxid()
        && a.electionEpoch() == b.electionEpoch()
        && a.peerEpoch() == b.peerEpoch();
  }

  private static Election withEpoch(Election e, long epoch) {
    return new Election(
        e.startNanos(),
        e.endNanos(),
        e.leader(),
        epoch,
        e.rounds(),
        e.looking(),
        e.votes(),
        e.votesDropped(),
        e.notifications(),
        e.lastNoticeNanos());
  }

  private static long nanos(Object e) {
    return e instanceof Notice n ? n.nanos() : ((RoleEvent) e).nanos();
  }
}
