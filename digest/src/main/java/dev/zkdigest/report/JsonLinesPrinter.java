package dev.zkdigest.report;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.io.PrintWriter;

/**
 * {@code --show --format json}: the messages {@link ShowPrinter} prints, as JSON lines (one object
 * per line, for jq, Vector or Loki). Every line has {@code type}, {@code time}, {@code client} and
 * {@code server}; the rest depends on the type (README, "JSON lines"). Credentials are never
 * written: auth and SASL lines carry only the scheme and a length.
 */
public final class JsonLinesPrinter implements TrafficListener {
  private final PrintWriter out;
  private final boolean debug;
  private final boolean flushEachLine;

  /**
   * @param debug also write connections opening and closing
   * @param flushEachLine live modes flush each line; replay flushes at the end
   */
  public JsonLinesPrinter(PrintWriter out, boolean debug, boolean flushEachLine) {
    this.out = out;
    this.debug = debug;
    this.flushEachLine = flushEachLine;
  }

  @Override
  public void exchange(ConnectionMeta c, long session, ZkRequest r, ZkReply reply) {
    synchronized (out) {
      JsonWriter w = start("exchange", r.timeNanos(), c, session);
      request(w, r);
      w.field("result", KeeperErrors.name(reply.err()));
      replyDetail(w, reply.body());
      w.field("latency_us", Math.max(0, reply.timeNanos() - r.timeNanos()) / 1_000);
      w.field("request_bytes", r.frameBytes());
      w.field("response_bytes", reply.frameBytes());
      end(w);
    }
  }

  @Override
  public void unmatched(ConnectionMeta c, long session, ZkReply reply) {
    synchronized (out) {
      JsonWriter w = start("unmatched", reply.timeNanos(), c, session);
      w.field("xid", reply.xid());
      w.field("result", KeeperErrors.name(reply.err()));
      w.field("response_bytes", reply.frameBytes());
      end(w);
    }
  }

  @Override
  public void pending(ConnectionMeta c, long session, ZkRequest r) {
    synchronized (out) {
      JsonWriter w = start("pending", r.timeNanos(), c, session);
      request(w, r);
      w.field("request_bytes", r.frameBytes());
      end(w);
    }
  }

  @Override
  public void event(ConnectionMeta c, long session, WatchEvent e) {
    synchronized (out) {
      JsonWriter w = start("event", e.timeNanos(), c, session);
      w.field("event", e.typeName());
      w.field("path", e.path());
      w.field("response_bytes", e.frameBytes());
      end(w);
    }
  }

  @Override
  public void fourLetterWord(
      ConnectionMeta c, String command, long requestNanos, long answerBytes, long endNanos) {
    synchronized (out) {
      JsonWriter w = start("four_letter_word", requestNanos, c, 0);
      w.field("command", command);
      w.field("latency_us", Math.max(0, endNanos - requestNanos) / 1_000);
      w.field("request_bytes", 4);
      w.field("response_bytes", answerBytes);
      end(w);
    }
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction dir, String reason, long nanos) {
    synchronized (out) {
      JsonWriter w = start("decode_error", nanos, c, 0);
      w.field("from", dir == Direction.CLIENT_TO_SERVER ? "client" : "server");
      w.field("reason", reason);
      end(w);
    }
  }

  @Override
  public void opened(ConnectionMeta c) {
    if (debug) {
      synchronized (out) {
        JsonWriter w = start("opened", c.openedNanos(), c, 0);
        w.field("from_start", c.fromStart());
        end(w);
      }
    }
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    if (debug) {
      synchronized (out) {
        end(start("closed", nanos, c, 0));
      }
    }
  }

  private JsonWriter start(String type, long nanos, ConnectionMeta c, long session) {
    JsonWriter w = new JsonWriter(out).beginObject();
    w.field("type", type);
    w.field("time", Units.instant(nanos));
    w.field("client", c.client());
    w.field("server", c.server());
    if (session != 0) {
      w.field("session", "0x" + Long.toHexString(session));
    }
    return w;
  }

  private void end(JsonWriter w) {
    w.endObject();
    out.println();
    if (flushEachLine) {
      out.flush();
    }
  }

  /** xid, op, path and what the request carries; like {@link ShowPrinter}, never a credential. */
  private static void request(JsonWriter w, ZkRequest r) {
    w.field("xid", r.xid());
    w.field("op", r.op().zkName());
    if (r.path() != null) {
      w.field("path", r.path());
    }
    RequestBody b = r.body();
    if (b instanceof RequestBody.Auth a) {
      w.field("scheme", a.scheme());
      w.field("credential_bytes", a.credentialLength());
    } else if (b instanceof RequestBody.Sasl s) {
      w.field("token_bytes", s.tokenLength());
    } else if (b instanceof RequestBody.Connect c) {
      if (c.sessionId() != 0) {
        w.field("requested_session", "0x" + Long.toHexString(c.sessionId()));
      }
      w.field("timeout_ms", c.timeoutMs());
      if (c.readOnly() != null) {
        w.field("read_only", c.readOnly());
      }
    } else if (b instanceof RequestBody.Multi m) {
      w.name("ops").beginArray();
      for (RequestBody.SubOp op : m.ops()) {
        w.beginObject().field("op", op.op().zkName()).field("path", op.path()).endObject();
      }
      w.endArray();
    } else if (b instanceof RequestBody.Create c) {
      w.field("data_bytes", Math.max(0, c.dataLength()));
    } else if (b instanceof RequestBody.SetData d) {
      w.field("data_bytes", Math.max(0, d.dataLength()));
      w.field("version", d.version());
    } else if (b instanceof RequestBody.SetWatches s) {
      w.field("watches", s.total());
    } else if (b instanceof RequestBody.Watch watch && watch.watch()) {
      w.field("watch", true);
    }
  }

  private static void replyDetail(JsonWriter w, ReplyBody b) {
    if (b instanceof ReplyBody.Connect c) {
      w.field("granted_session", "0x" + Long.toHexString(c.sessionId()));
      w.field("negotiated_timeout_ms", c.timeoutMs());
    } else if (b instanceof ReplyBody.Count c) {
      w.field("count", c.count());
    } else if (b instanceof ReplyBody.Data d) {
      w.field("data_bytes", d.dataLength());
    } else if (b instanceof ReplyBody.Multi m) {
      w.name("results").beginArray();
      for (ReplyBody.SubResult r : m.results()) {
        w.value(KeeperErrors.name(r.err()));
      }
      w.endArray();
    }
  }
}
