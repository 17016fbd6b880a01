package dev.zkdigest.filter;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Outcome;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;

/**
 * Passes on only the traffic a {@link MessageFilter} keeps. A request counts by its own time and
 * fields; with an error filter, a request is passed on only with its reply, once the reply's code
 * is known (so requests left unanswered do not count). Watch events count when their time, client,
 * session and path pass (not their op: herds need them). Connection-level counts (opens, bytes,
 * four-letter words) pass only when no field but the client narrows the traffic.
 *
 * <p>Threading: as its delegate's (calls for one connection from one thread at a time).
 */
public final class TrafficFilter implements TrafficListener {
  private final MessageFilter f;
  private final TrafficListener next;

  private TrafficFilter(MessageFilter f, TrafficListener next) {
    this.f = f;
    this.next = next;
  }

  /** {@code next} itself when the filter keeps everything. */
  public static TrafficListener of(MessageFilter f, TrafficListener next) {
    return f.isAll() ? next : new TrafficFilter(f, next);
  }

  private boolean client(ConnectionMeta c) {
    return f.clients().isEmpty() || f.clients().stream().anyMatch(b -> b.contains(c.clientIp()));
  }

  private boolean connections(ConnectionMeta c, long nanos) {
    return f.keepsConnections() && f.inWindow(nanos) && client(c);
  }

  @Override
  public void opened(ConnectionMeta c) {
    if (connections(c, c.openedNanos())) {
      next.opened(c);
    }
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    if (connections(c, nanos)) {
      next.bytes(c, d, n, nanos);
    }
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    if (!f.byError() && passes(c, s, r)) {
      next.request(c, s, r);
    }
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    if (!passes(c, s, r)) {
      return;
    }
    if (f.byError()) {
      if (!f.error(KeeperErrors.bounded(Outcome.of(r, reply)))) {
        return;
      }
      next.request(c, s, r);
    }
    next.exchange(c, s, r, reply);
  }

  private boolean passes(ConnectionMeta c, long s, ZkRequest r) {
    return f.inWindow(r.timeNanos()) && f.request(c.clientIp(), s, r.op(), r.path());
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    if (connections(c, reply.timeNanos())) {
      next.unmatched(c, s, reply);
    }
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    if (f.inWindow(e.timeNanos())
        && client(c)
        && (f.sessions().isEmpty() || f.sessions().contains(s))
        && (f.paths().isEmpty()
            || (e.path() != null && f.paths().stream().anyMatch(g -> g.matches(e.path()))))) {
      next.event(c, s, e);
    }
  }

  @Override
  public void fourLetterWord(
      ConnectionMeta c, String command, long requestNanos, long answerBytes, long endNanos) {
    if (connections(c, requestNanos)) {
      next.fourLetterWord(c, command, requestNanos, answerBytes, endNanos);
    }
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    if (!f.byError() && passes(c, s, r)) {
      next.pending(c, s, r);
    }
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    if (connections(c, nanos)) {
      next.decodeError(c, d, reason, nanos);
    }
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    if (f.keepsConnections() && client(c)) {
      next.skipped(c, d, bytes);
    }
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    next.closed(c, nanos);
  }

  @Override
  public void ignored(String server, int flows, long bytes) {
    if (f.keepsConnections() && f.clients().isEmpty()) {
      next.ignored(server, flows, bytes);
    }
  }
}
