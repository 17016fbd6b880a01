package dev.zkdigest.protocol;

import java.util.Arrays;
import java.util.List;

/** What a reply carries beyond its header, as far as the digest needs it. */
public sealed interface ReplyBody {

  /** Nothing, an error reply, or nothing the digest uses (a Stat, say). */
  record None() implements ReplyBody {
    public static final None INSTANCE = new None();
  }

  /** jute {@code ConnectResponse}; a session id of 0 means the server refused the session. */
  record Connect(int protocolVersion, int timeoutMs, long sessionId, Boolean readOnly)
      implements ReplyBody {}

  /** create, create2, createContainer, createTTL, sync: the path the server answered with. */
  record Path(String path) implements ReplyBody {}

  /** getData, reconfig: how many bytes of data came back (never the data itself). */
  record Data(int dataLength) implements ReplyBody {
    private static final Data[] SMALL = new Data[SHARED_BELOW];

    static {
      Arrays.setAll(SMALL, Data::new);
    }

    /** The body for {@code dataLength}, shared for small ones: a reply makes none of its own. */
    public static Data of(int dataLength) {
      return dataLength >= 0 && dataLength < SHARED_BELOW
          ? SMALL[dataLength]
          : new Data(dataLength);
    }
  }

  /** getChildren, getChildren2, getEphemerals, whoAmI, getAllChildrenNumber. */
  record Count(int count) implements ReplyBody {
    private static final Count[] SMALL = new Count[SHARED_BELOW];

    static {
      Arrays.setAll(SMALL, Count::new);
    }

    /** The body for {@code count}, shared for small ones. */
    public static Count of(int count) {
      return count >= 0 && count < SHARED_BELOW ? SMALL[count] : new Count(count);
    }
  }

  /**
   * Sizes and counts below this share one immutable body each, made once: most znodes hold a few
   * hundred bytes and have few children, so most replies allocate no body.
   */
  int SHARED_BELOW = 1024;

  /**
   * multi, multiRead: one result per sub-operation.
   *
   * @param complete false when the frame ended before its last result (a short snaplen): the
   *     results read so far are kept, as the first failure is usually among them
   */
  record Multi(List<SubResult> results, boolean complete) implements ReplyBody {
    public Multi(List<SubResult> results) {
      this(results, true);
    }
  }

  /** One result inside a multi reply; {@code op} is {@link Op#ERROR} for a failed sub-op. */
  record SubResult(Op op, int err) {}
}
