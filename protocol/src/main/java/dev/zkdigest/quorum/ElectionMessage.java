package dev.zkdigest.quorum;

import java.util.List;

/**
 * What travels on an election connection ({@code QuorumCnxManager}, {@code FastLeaderElection}).
 */
public sealed interface ElectionMessage {

  /**
   * The connecting server's introduction, the first bytes of every election connection.
   *
   * @param protocolVersion {@code -65536} (one address) or {@code -65535} (several, 3.6+), or 0 for
   *     servers before 3.5 that send their id alone
   * @param sid the connecting server's id
   * @param addresses its election addresses as it wrote them ({@code host:port}); empty before 3.5
   */
  record Initial(long protocolVersion, long sid, List<String> addresses)
      implements ElectionMessage {
    public Initial {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * A vote ({@code FastLeaderElection.Notification}) in one of its three wire generations: 28 bytes
   * (no peer epoch), 40 bytes (peer epoch, version 1), 44 and more (version 2 with the sender's
   * quorum configuration). Keeps the configuration parsed, not its text.
   *
   * @param leader the proposed leader's server id
   * @param zxid the proposed leader's last zxid
   * @param electionEpoch the sender's logical clock: one per round of voting
   * @param peerEpoch the proposed leader's epoch; for 28-byte votes, the zxid's epoch
   * @param version the notification format (0, 1 or 2)
   * @param config the sender's quorum configuration (version 2), or null
   * @param bytes the frame on the wire, length prefix included
   */
  record Notification(
      ServerState state,
      long leader,
      long zxid,
      long electionEpoch,
      long peerEpoch,
      int version,
      QuorumConfig config,
      int bytes)
      implements ElectionMessage {

    /** The configuration version the sender holds, or -1 when the notification carries none. */
    public long configVersion() {
      return config == null ? -1 : config.version();
    }
  }
}
