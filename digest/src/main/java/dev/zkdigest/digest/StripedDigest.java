package dev.zkdigest.digest;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One digest (with its interval) per feeding thread, merged when read. The proxy's event loops each
 * feed their own stripe, so they never contend for one lock on the forwarding path; a connection
 * stays on one event loop, so its state lives in one stripe.
 */
public final class StripedDigest implements TrafficListener {
  private final List<IntervalDigest> stripes = new CopyOnWriteArrayList<>();
  private final ThreadLocal<IntervalDigest> local;
  private final Digest.Limits limits;

  /** With {@code intervals} false, each stripe keeps only its total. */
  public StripedDigest(boolean intervals) {
    this(intervals, Digest.Limits.DEFAULTS);
  }

  public StripedDigest(boolean intervals, Digest.Limits limits) {
    this.limits = limits;
    local =
        ThreadLocal.withInitial(
            () -> {
              IntervalDigest d = new IntervalDigest(new Digest(limits), intervals);
              stripes.add(d);
              return d;
            });
  }

  /** Everything so far, all stripes together (a new digest: safe to render at leisure). */
  public Digest total() {
    Digest all = new Digest(limits);
    for (IntervalDigest s : stripes) {
      all.merge(s.total());
    }
    return all;
  }

  /** The interval just ended, all stripes together; each stripe starts a new one. */
  public Digest rotate() {
    Digest all = new Digest(limits);
    for (IntervalDigest s : stripes) {
      all.merge(s.rotate());
    }
    return all;
  }

  @Override
  public void opened(ConnectionMeta c) {
    local.get().opened(c);
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    local.get().bytes(c, d, n, nanos);
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    local.get().request(c, s, r);
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    local.get().exchange(c, s, r, reply);
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    local.get().unmatched(c, s, reply);
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    local.get().event(c, s, e);
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    local.get().fourLetterWord(c, cmd, req, bytes, end);
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    local.get().pending(c, s, r);
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    local.get().decodeError(c, d, reason, nanos);
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    local.get().skipped(c, d, bytes);
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    local.get().closed(c, nanos);
  }
}
