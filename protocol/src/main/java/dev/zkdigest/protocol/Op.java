package dev.zkdigest.protocol;

/**
 * ZooKeeper operation codes, as in {@code ZooDefs.OpCode}, with the names users know them by.
 * {@link #CONNECT} stands for the session handshake, which carries no opcode on the wire.
 */
public enum Op {
  CONNECT(Integer.MIN_VALUE, "connect"),
  NOTIFICATION(0, "notification"),
  CREATE(1, "create"),
  DELETE(2, "delete"),
  EXISTS(3, "exists"),
  GET_DATA(4, "getData"),
  SET_DATA(5, "setData"),
  GET_ACL(6, "getACL"),
  SET_ACL(7, "setACL"),
  GET_CHILDREN(8, "getChildren"),
  SYNC(9, "sync"),
  PING(11, "ping"),
  GET_CHILDREN2(12, "getChildren2"),
  CHECK(13, "check"),
  MULTI(14, "multi"),
  CREATE2(15, "create2"),
  RECONFIG(16, "reconfig"),
  CHECK_WATCHES(17, "checkWatches"),
  REMOVE_WATCHES(18, "removeWatches"),
  CREATE_CONTAINER(19, "createContainer"),
  DELETE_CONTAINER(20, "deleteContainer"),
  CREATE_TTL(21, "createTTL"),
  MULTI_READ(22, "multiRead"),
  AUTH(100, "auth"),
  SET_WATCHES(101, "setWatches"),
  SASL(102, "sasl"),
  GET_EPHEMERALS(103, "getEphemerals"),
  GET_ALL_CHILDREN_NUMBER(104, "getAllChildrenNumber"),
  SET_WATCHES2(105, "setWatches2"),
  ADD_WATCH(106, "addWatch"),
  WHO_AM_I(107, "whoAmI"),
  CREATE_SESSION(-10, "createSession"),
  CLOSE_SESSION(-11, "closeSession"),
  ERROR(-1, "error");

  private static final Op[] LOW = new Op[128];

  /** {@link #values()} once: each call of it clones the array, which showed in replay profiles. */
  private static final Op[] ALL = values();

  /** How many ops there are, for arrays indexed by {@link #ordinal()}. */
  public static final int COUNT = ALL.length;

  static {
    for (Op op : ALL) {
      if (op.code >= 0 && op.code < LOW.length) {
        LOW[op.code] = op;
      }
    }
  }

  private final int code;
  private final String zkName;

  Op(int code, String zkName) {
    this.code = code;
    this.zkName = zkName;
  }

  public int code() {
    return code;
  }

  /** ZooKeeper's own name for the operation, e.g. {@code getData}. */
  public String zkName() {
    return zkName;
  }

  /** The opcode for a wire value, or {@code null} when ZooKeeper 3.9 defines none. */
  public static Op of(int code) {
    if (code >= 0 && code < LOW.length) {
      return LOW[code];
    }
    return switch (code) {
      case -10 -> CREATE_SESSION;
      case -11 -> CLOSE_SESSION;
      case -1 -> ERROR;
      default -> null;
    };
  }

  /** The op of {@code ordinal}, without copying {@link #values()}. */
  public static Op ofOrdinal(int ordinal) {
    return ALL[ordinal];
  }

  /** The opcode a client may send in a request frame (as opposed to a multi sub-result). */
  public boolean isClientRequest() {
    return this != CONNECT && this != NOTIFICATION && this != ERROR && this != CREATE_SESSION;
  }

  public static Op byName(String zkName) {
    for (Op op : ALL) {
      if (op.zkName.equals(zkName)) {
        return op;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return zkName;
  }
}
