package dev.zkdigest.quorum;

/**
 * Walks the snapshot a leader streams after a SNAP packet, without keeping it, to find where it
 * ends and the next packet starts: the stream is not a {@code QuorumPacket} and has no length of
 * its own. Its layout is the same from 3.5 to 3.9 ({@code LearnerHandler} after SNAP: {@code
 * SerializeUtils.serializeSnapshot}, then the signature):
 *
 * <pre>
 * int sessions; (long id, int timeout) per session
 * int aclMaps; per map: long key, vector&lt;ACL&gt; (int perms, ustring scheme, ustring id)
 * per node: ustring path, buffer data, long acl, StatPersisted (60 bytes); until the path "/"
 * ustring "BenWasHere"
 * </pre>
 *
 * Only the lengths are read; every run of bytes is skipped. Anything that cannot be this layout is
 * {@link Step#MALFORMED}, and the stream then searches for the signature instead.
 *
 * <p>Threading: not thread-safe; owned by one {@link ZabStream}.
 */
final class SnapshotSkipper {

  /** What a call to {@link #step} came to. */
  enum Step {
    /** The chunk ran out in the middle of the snapshot. */
    MORE,
    /** The signature went by: the next byte starts a packet. */
    DONE,
    MALFORMED
  }

  private enum Part {
    SESSION_COUNT,
    SESSIONS,
    ACL_MAP_SIZE,
    ACL_KEY,
    ACL_COUNT,
    ACL_PERMS,
    ACL_SCHEME_LENGTH,
    ACL_SCHEME,
    ACL_ID_LENGTH,
    ACL_ID,
    PATH_LENGTH,
    PATH,
    DATA_LENGTH,
    DATA,
    NODE_REST,
    SIGNATURE
  }

  /** The session table's entries: a session id and its timeout. */
  private static final int SESSION_ENTRY = 12;

  /** A node after its data: the ACL key (8 bytes) and StatPersisted (60 bytes). */
  private static final int NODE_REST = 8 + 60;

  /** A string or buffer longer than this is garbage (jute.maxbuffer is 1 MiB by default). */
  static final int MAX_FIELD = 64 << 20;

  /** The path that ends the node list: {@code DataTree.serializeNodes} writes "/" last. */
  private static final byte END_OF_NODES = '/';

  /** {@code LearnerHandler}'s signature after the snapshot, as a jute string. */
  static final byte[] SIGNATURE = {0, 0, 0, 10, 'B', 'e', 'n', 'W', 'a', 's', 'H', 'e', 'r', 'e'};

  private Part part = Part.SESSION_COUNT;
  private long count;
  private int acls;
  private int pathLength;
  private int signatureAt;

  /** Starts a new snapshot. */
  void reset() {
    part = Part.SESSION_COUNT;
    count = 0;
    acls = 0;
    signatureAt = 0;
  }

  /** Reads what the chunk holds of the snapshot. */
  Step step(FieldReader in) {
    while (in.hasMore()) {
      switch (part) {
        case SESSION_COUNT -> {
          if (in.read(4)) {
            int n = in.intValue();
            if (n < 0) {
              return Step.MALFORMED;
            }
            in.startSkip((long) n * SESSION_ENTRY);
            part = Part.SESSIONS;
          }
        }
        case SESSIONS -> {
          if (in.skip()) {
            part = Part.ACL_MAP_SIZE;
          }
        }
        case ACL_MAP_SIZE -> {
          if (in.read(4)) {
            count = in.intValue();
            if (count < 0) {
              return Step.MALFORMED;
            }
            part = count == 0 ? Part.PATH_LENGTH : Part.ACL_KEY;
          }
        }
        case ACL_KEY -> {
          if (in.read(8)) {
            in.value();
            part = Part.ACL_COUNT;
          }
        }
        case ACL_COUNT -> {
          if (in.read(4)) {
            acls = in.intValue();
            if (acls < -1) {
              return Step.MALFORMED;
            }
            part = acls > 0 ? Part.ACL_PERMS : nextAclMap();
          }
        }
        case ACL_PERMS -> {
          if (in.read(4)) {
            in.value();
            part = Part.ACL_SCHEME_LENGTH;
          }
        }
        case ACL_SCHEME_LENGTH, ACL_ID_LENGTH -> {
          if (in.read(4)) {
            int n = in.intValue();
            if (n < -1 || n > MAX_FIELD) {
              return Step.MALFORMED;
            }
            in.startSkip(Math.max(0, n));
            part = part == Part.ACL_SCHEME_LENGTH ? Part.ACL_SCHEME : Part.ACL_ID;
          }
        }
        case ACL_SCHEME -> {
          if (in.skip()) {
            part = Part.ACL_ID_LENGTH;
          }
        }
        case ACL_ID -> {
          if (in.skip()) {
            part = --acls > 0 ? Part.ACL_PERMS : nextAclMap();
          }
        }
        case PATH_LENGTH -> {
          if (in.read(4)) {
            pathLength = in.intValue();
            if (pathLength < 0 || pathLength > MAX_FIELD) {
              return Step.MALFORMED;
            }
            in.startSkip(pathLength);
            part = Part.PATH;
          }
        }
        case PATH -> {
          if (pathLength == 1) {
            boolean end = in.buffer()[in.position()] == END_OF_NODES;
            in.advance(1);
            in.startSkip(0);
            part = end ? Part.SIGNATURE : Part.DATA_LENGTH;
          } else if (in.skip()) {
            part = Part.DATA_LENGTH;
          }
        }
        case DATA_LENGTH -> {
          if (in.read(4)) {
            int n = in.intValue();
            if (n < -1 || n > MAX_FIELD) {
              return Step.MALFORMED;
            }
            in.startSkip(Math.max(0, n));
            part = Part.DATA;
          }
        }
        case DATA -> {
          if (in.skip()) {
            in.startSkip(NODE_REST);
            part = Part.NODE_REST;
          }
        }
        case NODE_REST -> {
          if (in.skip()) {
            part = Part.PATH_LENGTH;
          }
        }
        case SIGNATURE -> {
          // The signature is matched byte by byte against its jute form, length included.
          if (in.buffer()[in.position()] != SIGNATURE[signatureAt]) {
            return Step.MALFORMED;
          }
          in.advance(1);
          if (++signatureAt == SIGNATURE.length) {
            return Step.DONE;
          }
        }
      }
    }
    return Step.MORE;
  }

  /** Bytes of a run (data, path, session table) still to come, which a capture gap may cover. */
  long runLeft(FieldReader in) {
    return switch (part) {
      case SESSIONS, ACL_SCHEME, ACL_ID, DATA, NODE_REST -> in.skipLeft();
      case PATH -> pathLength == 1 ? 0 : in.skipLeft();
      default -> 0;
    };
  }

  private Part nextAclMap() {
    return --count > 0 ? Part.ACL_KEY : Part.PATH_LENGTH;
  }
}
