package dev.zkdigest.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the bodies of ZooKeeper records, following {@code zookeeper.jute}. Throws {@link
 * JuteInput.JuteUnderflow} when the bytes end early and {@link JuteInput.JuteMalformed} when they
 * cannot be the record; the caller decides which of those is an error.
 */
final class RecordDecoder {
  /** A Stat is 3 longs, 2 longs, 3 ints, 1 long, 2 ints, 1 long: 68 bytes. */
  static final int STAT_BYTES = 68;

  /** Upper bound on multi sub-ops we keep, so a hostile frame cannot grow a list unbounded. */
  private static final int MAX_SUB_OPS = 10_000;

  private RecordDecoder() {}

  static RequestBody.Connect connectRequest(JuteInput in) {
    int protocolVersion = in.readInt();
    long lastZxid = in.readLong();
    int timeout = in.readInt();
    long sessionId = in.readLong();
    in.skipBuffer(); // session password: never kept
    Boolean readOnly = in.remaining() > 0 ? in.readBool() : null;
    return new RequestBody.Connect(protocolVersion, lastZxid, timeout, sessionId, readOnly);
  }

  static ReplyBody.Connect connectResponse(JuteInput in) {
    int protocolVersion = in.readInt();
    int timeout = in.readInt();
    long sessionId = in.readLong();
    in.skipBuffer();
    Boolean readOnly = in.remaining() > 0 ? in.readBool() : null;
    return new ReplyBody.Connect(protocolVersion, timeout, sessionId, readOnly);
  }

  /** Reads the request body of {@code op}; returns the path through {@code pathOut[0]}. */
  static RequestBody request(Op op, JuteInput in, String[] pathOut) {
    switch (op) {
      case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL -> {
        pathOut[0] = in.readPath();
        return create(op, in);
      }
      case DELETE, CHECK -> {
        pathOut[0] = in.readPath();
        return new RequestBody.Versioned(in.readInt());
      }
      case EXISTS, GET_DATA, GET_CHILDREN, GET_CHILDREN2 -> {
        pathOut[0] = in.readPath();
        return RequestBody.Watch.of(in.readBool());
      }
      case SET_DATA -> {
        pathOut[0] = in.readPath();
        int dataLength = in.skipBuffer();
        return new RequestBody.SetData(dataLength, in.readInt());
      }
      case SET_ACL -> {
        pathOut[0] = in.readPath();
        skipAcls(in);
        return new RequestBody.Versioned(in.readInt());
      }
      case GET_ACL, SYNC, DELETE_CONTAINER, GET_EPHEMERALS, GET_ALL_CHILDREN_NUMBER -> {
        pathOut[0] = in.readPath();
        return RequestBody.None.INSTANCE;
      }
      case CHECK_WATCHES, REMOVE_WATCHES, ADD_WATCH -> {
        pathOut[0] = in.readPath();
        return new RequestBody.WatchMode(in.readInt());
      }
      case MULTI, MULTI_READ -> {
        return multi(in, pathOut);
      }
      case AUTH -> {
        int type = in.readInt();
        String scheme = in.readString();
        String user = "digest".equals(scheme) ? in.peekBuffer(Credentials::digestUser) : null;
        return new RequestBody.Auth(type, scheme, in.skipBuffer(), user);
      }
      case SASL -> {
        String principal = in.peekBuffer(Credentials::saslDigestUser);
        return new RequestBody.Sasl(in.skipBuffer(), principal);
      }
      case SET_WATCHES, SET_WATCHES2 -> {
        long relativeZxid = in.readLong();
        int data = skipStrings(in);
        int exist = skipStrings(in);
        int child = skipStrings(in);
        int persistent = 0;
        int recursive = 0;
        if (op == Op.SET_WATCHES2) {
          persistent = skipStrings(in);
          recursive = skipStrings(in);
        }
        return new RequestBody.SetWatches(relativeZxid, data, exist, child, persistent, recursive);
      }
      case RECONFIG -> {
        String joining = in.readString();
        String leaving = in.readString();
        String members = in.readString();
        return new RequestBody.Reconfig(joining, leaving, members, in.readLong());
      }
      case PING, CLOSE_SESSION, WHO_AM_I -> {
        return RequestBody.None.INSTANCE;
      }
      default -> throw JuteInput.JuteMalformed.INSTANCE;
    }
  }

  private static RequestBody.Create create(Op op, JuteInput in) {
    int dataLength = in.skipBuffer();
    int acls = skipAcls(in);
    int flags = in.readInt();
    long ttl = op == Op.CREATE_TTL ? in.readLong() : -1;
    return new RequestBody.Create(dataLength, acls, flags, ttl);
  }

  private static RequestBody.Multi multi(JuteInput in, String[] pathOut) {
    List<RequestBody.SubOp> ops = new ArrayList<>();
    String[] subPath = new String[1];
    while (true) {
      int type = in.readInt();
      boolean done = in.readBool();
      in.readInt(); // err, unused in requests
      if (done) {
        break;
      }
      Op sub = Op.of(type);
      if (sub == null || ops.size() >= MAX_SUB_OPS) {
        throw JuteInput.JuteMalformed.INSTANCE;
      }
      subPath[0] = null;
      switch (sub) {
        case CREATE, CREATE2, CREATE_CONTAINER, CREATE_TTL -> {
          subPath[0] = in.readPath();
          create(sub, in);
        }
        case DELETE, CHECK -> {
          subPath[0] = in.readPath();
          in.readInt();
        }
        case SET_DATA -> {
          subPath[0] = in.readPath();
          in.skipBuffer();
          in.readInt();
        }
        case GET_CHILDREN, GET_DATA -> {
          subPath[0] = in.readPath();
          in.readBool();
        }
        default -> throw JuteInput.JuteMalformed.INSTANCE;
      }
      ops.add(new RequestBody.SubOp(sub, subPath[0]));
      if (pathOut[0] == null) {
        pathOut[0] = subPath[0];
      }
    }
    return new RequestBody.Multi(List.copyOf(ops));
  }

  /** Reads the reply body that follows a ReplyHeader with err 0 for a request of {@code op}. */
  static ReplyBody reply(Op op, JuteInput in) {
    switch (op) {
      case CREATE -> {
        return new ReplyBody.Path(in.readString());
      }
      case CREATE2, CREATE_CONTAINER, CREATE_TTL -> {
        String path = in.readString();
        in.skip(STAT_BYTES);
        return new ReplyBody.Path(path);
      }
      case SYNC -> {
        return new ReplyBody.Path(in.readString());
      }
      case GET_DATA, RECONFIG -> {
        int len = in.skipBuffer();
        in.skip(STAT_BYTES);
        return ReplyBody.Data.of(Math.max(len, 0));
      }
      case EXISTS, SET_DATA, SET_ACL -> {
        in.skip(STAT_BYTES);
        return ReplyBody.None.INSTANCE;
      }
      case GET_ACL -> {
        skipAcls(in);
        in.skip(STAT_BYTES);
        return ReplyBody.None.INSTANCE;
      }
      case GET_CHILDREN, GET_EPHEMERALS -> {
        return ReplyBody.Count.of(skipStrings(in));
      }
      case GET_CHILDREN2 -> {
        int n = skipStrings(in);
        in.skip(STAT_BYTES);
        return ReplyBody.Count.of(n);
      }
      case GET_ALL_CHILDREN_NUMBER -> {
        return ReplyBody.Count.of(in.readInt());
      }
      case WHO_AM_I -> {
        int n = in.readVectorLength();
        for (int i = 0; i < n; i++) {
          in.readString();
          in.readString();
        }
        return ReplyBody.Count.of(Math.max(n, 0));
      }
      case MULTI, MULTI_READ -> {
        return multiReply(in);
      }
      case SASL -> {
        in.skipBuffer(); // SetSASLResponse token: never kept
        return ReplyBody.None.INSTANCE;
      }
      default -> {
        return ReplyBody.None.INSTANCE;
      }
    }
  }

  private static ReplyBody.Multi multiReply(JuteInput in) {
    List<ReplyBody.SubResult> results = new ArrayList<>();
    try {
      readResults(in, results);
    } catch (JuteInput.JuteUnderflow e) {
      if (results.isEmpty()) {
        throw e;
      }
      return new ReplyBody.Multi(List.copyOf(results), false);
    }
    return new ReplyBody.Multi(List.copyOf(results));
  }

  private static void readResults(JuteInput in, List<ReplyBody.SubResult> results) {
    while (true) {
      int type = in.readInt();
      boolean done = in.readBool();
      int err = in.readInt();
      if (done) {
        break;
      }
      Op sub = Op.of(type);
      if (sub == null || results.size() >= MAX_SUB_OPS) {
        throw JuteInput.JuteMalformed.INSTANCE;
      }
      switch (sub) {
        case CREATE -> in.readString();
        case CREATE2, CREATE_TTL, CREATE_CONTAINER -> {
          in.readString();
          in.skip(STAT_BYTES);
        }
        case DELETE, CHECK -> {}
        case SET_DATA -> in.skip(STAT_BYTES);
        case GET_CHILDREN -> skipStrings(in);
        case GET_DATA -> {
          in.skipBuffer();
          in.skip(STAT_BYTES);
        }
        case ERROR -> err = in.readInt();
        default -> throw JuteInput.JuteMalformed.INSTANCE;
      }
      results.add(new ReplyBody.SubResult(sub, err));
    }
  }

  static WatchEvent watchEvent(JuteInput in, int frameBytes, long timeNanos) {
    int type = in.readInt();
    int state = in.readInt();
    String path = in.readString();
    return new WatchEvent(type, state, path, frameBytes, timeNanos);
  }

  private static int skipAcls(JuteInput in) {
    int n = in.readVectorLength();
    for (int i = 0; i < n; i++) {
      in.readInt(); // perms
      in.readString(); // scheme
      in.readString(); // id
    }
    return Math.max(n, 0);
  }

  private static int skipStrings(JuteInput in) {
    int n = in.readVectorLength();
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len > 0) {
        in.skip(len);
      } else if (len < -1) {
        throw JuteInput.JuteMalformed.INSTANCE;
      }
    }
    return Math.max(n, 0);
  }
}
