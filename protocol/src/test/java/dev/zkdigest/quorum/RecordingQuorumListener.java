package dev.zkdigest.quorum;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import java.util.ArrayList;
import java.util.List;

/** Keeps every call a quorum codec makes, for assertions. */
final class RecordingQuorumListener implements QuorumListener {
  record Election(Direction dir, long senderSid, ElectionMessage message, long nanos) {}

  record Zab(Direction dir, long learnerSid, ZabPhase phase, ZabPacket packet) {}

  record Answer(long learnerSid, long zxid, long proposed, long answered) {}

  final List<Election> election = new ArrayList<>();
  final List<Zab> zab = new ArrayList<>();
  final List<Answer> acked = new ArrayList<>();
  final List<Answer> committed = new ArrayList<>();
  final List<ZabSync> syncs = new ArrayList<>();
  final List<Long> snapshots = new ArrayList<>();
  final List<Boolean> snapshotsComplete = new ArrayList<>();
  final List<String> errors = new ArrayList<>();
  long skipped;
  long bytes;
  int authPackets;
  int tls;
  int opened;
  int closed;

  static ConnectionMeta meta(boolean fromStart) {
    return new ConnectionMeta(1, "127.0.0.2", 40000, "127.0.0.1", 2888, 1, fromStart);
  }

  List<ElectionMessage> messages() {
    return election.stream().map(Election::message).toList();
  }

  List<ZabType> types() {
    return zab.stream().map(z -> z.packet().type()).toList();
  }

  @Override
  public void opened(ConnectionMeta conn, QuorumProtocol protocol) {
    opened++;
  }

  @Override
  public void bytes(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, int bytes, long nanos) {
    this.bytes += bytes;
  }

  @Override
  public void election(
      ConnectionMeta conn, Direction dir, long senderSid, ElectionMessage message, long nanos) {
    election.add(new Election(dir, senderSid, message, nanos));
  }

  @Override
  public void zab(
      ConnectionMeta conn, Direction dir, long learnerSid, ZabPhase phase, ZabPacket packet) {
    zab.add(new Zab(dir, learnerSid, phase, packet));
  }

  @Override
  public void proposalAcked(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long ackNanos) {
    acked.add(new Answer(learnerSid, zxid, proposedNanos, ackNanos));
  }

  @Override
  public void proposalCommitted(
      ConnectionMeta conn, long learnerSid, long zxid, long proposedNanos, long commitNanos) {
    committed.add(new Answer(learnerSid, zxid, proposedNanos, commitNanos));
  }

  @Override
  public void synced(ConnectionMeta conn, ZabSync sync) {
    syncs.add(sync);
  }

  @Override
  public void snapshot(
      ConnectionMeta conn, long bytes, boolean complete, long startNanos, long endNanos) {
    snapshots.add(bytes);
    snapshotsComplete.add(complete);
  }

  @Override
  public void authPacket(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long nanos) {
    authPackets++;
  }

  @Override
  public void tls(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {
    tls++;
  }

  @Override
  public void decodeError(
      ConnectionMeta conn, QuorumProtocol protocol, Direction dir, String reason, long nanos) {
    errors.add(reason);
  }

  @Override
  public void skipped(ConnectionMeta conn, QuorumProtocol protocol, Direction dir, long bytes) {
    skipped += bytes;
  }

  @Override
  public void closed(ConnectionMeta conn, QuorumProtocol protocol, long nanos) {
    closed++;
  }
}
