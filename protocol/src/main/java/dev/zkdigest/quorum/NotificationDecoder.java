package dev.zkdigest.quorum;

import java.nio.charset.StandardCharsets;

/**
 * Reads a leader-election notification from a frame body, in each wire generation the receiving
 * side of {@code FastLeaderElection} accepts: 28 bytes (state, leader, zxid, election epoch), 40
 * (and the peer epoch, version 1), 44 and more (version 2, then the sender's configuration).
 */
final class NotificationDecoder {
  static final int OLDEST = 28;
  static final int WITH_PEER_EPOCH = 40;
  static final int WITH_CONFIG = 44;

  /** The first format that carries the sender's quorum configuration. */
  static final int CONFIG_VERSION = 2;

  private NotificationDecoder() {}

  /** Why a frame is not a notification. */
  static final class Malformed extends Exception {
    Malformed(String reason) {
      super(reason, null, false, false);
    }
  }

  /**
   * The notification in {@code body[0..retained)} of a frame of {@code length} bytes, or null when
   * the capture cut it before its vote.
   */
  static ElectionMessage.Notification decode(byte[] body, int retained, int length)
      throws Malformed {
    if (length < OLDEST || (length > OLDEST && length < WITH_PEER_EPOCH)) {
      throw new Malformed("notification of " + length + " bytes");
    }
    int voteBytes = length == OLDEST ? OLDEST : WITH_PEER_EPOCH;
    if (retained < voteBytes) {
      return null;
    }
    int wireState = FieldReader.intAt(body, 0);
    ServerState state = ServerState.of(wireState);
    if (state == null) {
      throw new Malformed("unknown server state " + wireState);
    }
    long leader = FieldReader.longAt(body, 4);
    long zxid = FieldReader.longAt(body, 12);
    long electionEpoch = FieldReader.longAt(body, 20);
    long peerEpoch;
    int version = 0;
    QuorumConfig config = null;
    if (length == OLDEST) {
      peerEpoch = zxid >> 32;
    } else {
      peerEpoch = FieldReader.longAt(body, 28);
      version = FieldReader.intAt(body, 36);
      if (version >= CONFIG_VERSION) {
        if (length < WITH_CONFIG) {
          throw new Malformed("notification version " + version + " without its configuration");
        }
        if (retained >= WITH_CONFIG) {
          int configLength = FieldReader.intAt(body, 40);
          if (configLength < 0 || configLength > length - WITH_CONFIG) {
            throw new Malformed("notification configuration of " + configLength + " bytes");
          }
          int have = Math.min(configLength, retained - WITH_CONFIG);
          config = QuorumConfig.parse(new String(body, WITH_CONFIG, have, StandardCharsets.UTF_8));
        }
      }
    }
    return new ElectionMessage.Notification(
        state, leader, zxid, electionEpoch, peerEpoch, version, config, length + 4);
  }
}
