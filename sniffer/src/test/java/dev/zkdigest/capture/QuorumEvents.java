package dev.zkdigest.capture;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.quorum.ElectionMessage;
import dev.zkdigest.quorum.QuorumListener;
import dev.zkdigest.quorum.QuorumProtocol;
import dev.zkdigest.quorum.ZabPacket;
import dev.zkdigest.quorum.ZabPhase;
import dev.zkdigest.quorum.ZabSync;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Every call the quorum codecs made, in order, to replay into other listeners. */
final class QuorumEvents implements QuorumListener {
  final List<Consumer<QuorumListener>> calls = new ArrayList<>();

  void replay(QuorumListener l, int from, int to) {
    for (int i = from; i < to; i++) {
      calls.get(i).accept(l);
    }
  }

  @Override
  public void opened(ConnectionMeta conn, QuorumProtocol protocol) {
    calls.add(l -> l.opened(conn, protocol));
  }

  @Override
  public void bytes(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, int bytes, long nanos) {
    calls.add(l -> l.bytes(conn, protocol, dir, bytes, nanos));
  }

  @Override
  public void election(
      ConnectionMeta conn, Direction dir, long senderSid, ElectionMessage message, long nanos) {
    calls.add(l -> l.election(conn, dir, senderSid, message, nanos));
  }

  @Override
  public void zab(
      ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket packet) {
    calls.add(l -> l.zab(conn, dir, learnerSid, phase, packet));
  }

  @Override
  public void proposalAcked(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long ackNanos) {
    calls.add(l -> l.proposalAcked(conn, learnerSid, zxid, proposedNanos, ackNanos));
  }

  @Override
  public void proposalCommitted(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long commitNanos) {
    calls.add(l -> l.proposalCommitted(conn, learnerSid, zxid, proposedNanos, commitNanos));
  }

  @Override
  public void synced(ConnectionMeta conn, ZabSync sync) {
    calls.add(l -> l.synced(conn, sync));
  }

  @Override
  public void snapshot(
      ConnectionMeta conn, long bytes, boolean complete, long startNanos, long endNanos) {
    calls.add(l -> l.snapshot(conn, bytes, complete, startNanos, endNanos));
  }

  @Override
  public void authPacket(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long nanos) {
    calls.add(l -> l.authPacket(conn, protocol, dir, nanos));
  }

  @Override
  public void tls(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {
    calls.add(l -> l.tls(conn, protocol, nanos));
  }

  @Override
  public void decodeError(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, String reason, long nanos) {
    calls.add(l -> l.decodeError(conn, protocol, dir, reason, nanos));
  }

  @Override
  public void skipped(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long bytes) {
    calls.add(l -> l.skipped(conn, protocol, dir, bytes));
  }

  @Override
  public void closed(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {
    calls.add(l -> l.closed(conn, protocol, nanos));
  }
}
