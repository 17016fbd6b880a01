package dev.zkdigest.quorum;

/**
 * The types of {@code QuorumPacket}, as {@code Leader} numbers and names them, with what each may
 * carry as data: used to check a packet's plausibility when regaining sync mid-stream.
 */
public enum ZabType {
  REQUEST(1),
  PROPOSAL(2),
  ACK(3),
  COMMIT(4),
  PING(5),
  REVALIDATE(6),
  SYNC(7),
  INFORM(8),
  COMMITANDACTIVATE(9),
  NEWLEADER(10),
  FOLLOWERINFO(11),
  UPTODATE(12),
  DIFF(13),
  TRUNC(14),
  SNAP(15),
  OBSERVERINFO(16),
  LEADERINFO(17),
  ACKEPOCH(18),
  INFORMANDACTIVATE(19);

  private static final ZabType[] BY_CODE = new ZabType[20];

  static {
    for (ZabType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  /** A transaction header: client id, cxid, zxid, time, type. */
  static final int TXN_HEADER = 32;

  /** A forwarded request's header: session id, cxid, type. */
  static final int REQUEST_HEADER = 16;

  private final int code;

  ZabType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The type for a wire value, or null when ZooKeeper defines none. */
  public static ZabType of(int code) {
    return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }

  /** Whether the leader sends this type (else a learner does); PING and REVALIDATE go both ways. */
  boolean sentBy(boolean leader) {
    return switch (this) {
      case PING, REVALIDATE -> true;
      case FOLLOWERINFO, OBSERVERINFO, ACKEPOCH, ACK, REQUEST -> !leader;
      default -> leader;
    };
  }

  /** Whether ZooKeeper 3.5 to 3.9 sends this type with this zxid: -1 where it has none. */
  boolean plausibleZxid(long zxid) {
    return switch (this) {
      case UPTODATE, REQUEST, REVALIDATE -> zxid == -1;
      default -> zxid >= 0;
    };
  }

  /**
   * Whether ZooKeeper 3.5 to 3.9 sends this type with {@code dataLength} bytes of data (-1: none).
   */
  boolean plausibleData(int dataLength) {
    return switch (this) {
      case ACK, COMMIT, UPTODATE, SNAP, DIFF, TRUNC, SYNC -> dataLength == -1 || dataLength == 0;
      case PING -> dataLength <= 0 || dataLength % 12 == 0;
      case LEADERINFO, ACKEPOCH -> dataLength == 4;
      case FOLLOWERINFO, OBSERVERINFO ->
          dataLength == -1 || dataLength == 8 || dataLength == 12 || dataLength == 20;
      case REVALIDATE -> dataLength == 12 || dataLength == 9;
      case COMMITANDACTIVATE -> dataLength == 8;
      case PROPOSAL, INFORM -> dataLength >= TXN_HEADER;
      case INFORMANDACTIVATE -> dataLength >= 8 + TXN_HEADER;
      case REQUEST -> dataLength >= REQUEST_HEADER;
      case NEWLEADER -> dataLength >= -1;
    };
  }
}
