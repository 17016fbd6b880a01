package dev.zkdigest.protocol;

import java.util.List;

/** What a request carries beyond its header and path, as far as the digest needs it. */
public sealed interface RequestBody {

  /** Nothing beyond the header and path, or nothing the digest uses. */
  record None() implements RequestBody {
    public static final None INSTANCE = new None();
  }

  /** jute {@code ConnectRequest}; the session password is skipped, never kept. */
  record Connect(
      int protocolVersion, long lastZxidSeen, int timeoutMs, long sessionId, Boolean readOnly)
      implements RequestBody {}

  /** create, create2, createContainer, createTTL. */
  record Create(int dataLength, int aclCount, int flags, long ttl) implements RequestBody {}

  /** setData. */
  record SetData(int dataLength, int version) implements RequestBody {}

  /** exists, getData, getChildren, getChildren2. */
  record Watch(boolean watch) implements RequestBody {
    private static final Watch SET = new Watch(true);
    private static final Watch UNSET = new Watch(false);

    /** One shared instance per value: reads are most of the traffic. */
    public static Watch of(boolean watch) {
      return watch ? SET : UNSET;
    }
  }

  /** delete, check, setACL. */
  record Versioned(int version) implements RequestBody {}

  /** checkWatches, removeWatches, addWatch. */
  record WatchMode(int mode) implements RequestBody {}

  /** multi and multiRead with each sub-operation. */
  record Multi(List<SubOp> ops) implements RequestBody {}

  /** One operation inside a multi. */
  record SubOp(Op op, String path) {}

  /**
   * jute {@code AuthPacket}: the credentials themselves are never read into memory, only the user
   * name of a {@code digest} scheme's {@code user:password}.
   *
   * @param user the digest user name, or null (another scheme, or none readable)
   */
  record Auth(int type, String scheme, int credentialLength, String user) implements RequestBody {
    public Auth(int type, String scheme, int credentialLength) {
      this(type, scheme, credentialLength, null);
    }
  }

  /**
   * jute {@code GetSASLRequest}: only the token's length is kept, and the principal where it
   * travels in clear (DIGEST-MD5's {@code username="..."}).
   *
   * @param principal the SASL user name, or null (GSSAPI, a challenge step, none readable)
   */
  record Sasl(int tokenLength, String principal) implements RequestBody {
    public Sasl(int tokenLength) {
      this(tokenLength, null);
    }
  }

  /** setWatches and setWatches2: how many watches of each kind are re-registered. */
  record SetWatches(
      long relativeZxid,
      int dataWatches,
      int existWatches,
      int childWatches,
      int persistentWatches,
      int persistentRecursiveWatches)
      implements RequestBody {
    public int total() {
      return dataWatches
          + existWatches
          + childWatches
          + persistentWatches
          + persistentRecursiveWatches;
    }
  }

  /** jute {@code ReconfigRequest}. */
  record Reconfig(String joiningServers, String leavingServers, String newMembers, long curConfigId)
      implements RequestBody {}
}
