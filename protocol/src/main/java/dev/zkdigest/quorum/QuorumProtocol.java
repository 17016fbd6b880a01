package dev.zkdigest.quorum;

/** The two server-to-server protocols of a ZooKeeper ensemble. */
public enum QuorumProtocol {
  /** Fast leader election, on the election port (3888): {@code QuorumCnxManager} framing. */
  ELECTION,
  /** The atomic broadcast between leader and learners, on the quorum port (2888). */
  ZAB
}
