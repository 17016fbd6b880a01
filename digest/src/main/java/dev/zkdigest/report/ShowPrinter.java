package dev.zkdigest.report;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Outcome;
import dev.zkdigest.protocol.ReplyBody;
import dev.zkdigest.protocol.RequestBody;
import dev.zkdigest.protocol.TlsInfo;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.io.PrintWriter;

/**
 * {@code --show}: one line per message as it is decoded (an exchange when its reply arrives, an
 * event, an unmatched reply, a request left unanswered). Credentials are never printed: auth and
 * SASL lines show only the scheme and a length.
 */
public final class ShowPrinter implements TrafficListener {
  private final PrintWriter out;
  private final boolean debug;
  private final boolean flushEachLine;

  /** Live modes: each line is flushed as it is printed. */
  public ShowPrinter(PrintWriter out, boolean debug) {
    this(out, debug, true);
  }

  /** With {@code flushEachLine} false (replay), the caller flushes at the end. */
  public ShowPrinter(PrintWriter out, boolean debug, boolean flushEachLine) {
    this.out = out;
    this.debug = debug;
    this.flushEachLine = flushEachLine;
  }

  @Override
  public void exchange(ConnectionMeta c, long session, ZkRequest r, ZkReply reply) {
    long us = Math.max(0, reply.timeNanos() - r.timeNanos()) / 1_000;
    line(
        r.timeNanos(),
        c,
        session,
        r.xid(),
        r.op().zkName(),
        describe(r),
        KeeperErrors.name(Outcome.of(r, reply)) + replyDetail(reply.body()),
        Units.micros(us),
        r.frameBytes() + "B/" + reply.frameBytes() + "B");
  }

  @Override
  public void unmatched(ConnectionMeta c, long session, ZkReply reply) {
    line(
        reply.timeNanos(),
        c,
        session,
        reply.xid(),
        "?",
        "(request not seen)",
        KeeperErrors.name(reply.err()),
        "-",
        "-/" + reply.frameBytes() + "B");
  }

  @Override
  public void pending(ConnectionMeta c, long session, ZkRequest r) {
    line(
        r.timeNanos(),
        c,
        session,
        r.xid(),
        r.op().zkName(),
        describe(r),
        "(no reply)",
        "-",
        r.frameBytes() + "B/-");
  }

  @Override
  public void event(ConnectionMeta c, long session, WatchEvent e) {
    line(
        e.timeNanos(),
        c,
        session,
        -1,
        "event",
        e.typeName() + " " + nz(e.path()),
        "-",
        "-",
        "-/" + e.frameBytes() + "B");
  }

  @Override
  public void fourLetterWord(
      ConnectionMeta c, String command, long requestNanos, long answerBytes, long endNanos) {
    long us = Math.max(0, endNanos - requestNanos) / 1_000;
    line(
        requestNanos,
        c,
        0,
        0,
        command,
        "(four-letter word)",
        "-",
        Units.micros(us),
        "4B/" + answerBytes + "B");
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction dir, String reason, long nanos) {
    synchronized (out) {
      out.printf(
          "%s %s decode error (%s): %s%n",
          Units.instant(nanos),
          c.client(),
          dir == Direction.CLIENT_TO_SERVER ? "from client" : "from server",
          reason);
      flush();
    }
  }

  @Override
  public void opened(ConnectionMeta c) {
    if (debug) {
      synchronized (out) {
        out.printf(
            "%s %s connection to %s%s%s%n",
            Units.instant(c.openedNanos()),
            c.client(),
            c.server(),
            c.fromStart() ? "" : " (joined mid-stream)",
            tls(c.tls()));
        flush();
      }
    }
  }

  /** A TLS session as {@code --debug} shows it: protocol, cipher, and the client's subject. */
  private static String tls(TlsInfo t) {
    if (t == null) {
      return "";
    }
    return " tls "
        + t.protocol()
        + " "
        + t.cipher()
        + (t.clientSubject() != null ? " subject \"" + t.clientSubject() + "\"" : "");
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    if (debug) {
      synchronized (out) {
        out.printf("%s %s closed%n", Units.instant(nanos), c.client());
        flush();
      }
    }
  }

  /** The request's path, plus what it carries; never a credential. */
  static String describe(ZkRequest r) {
    RequestBody b = r.body();
    if (b instanceof RequestBody.Auth a) {
      return "scheme="
          + nz(a.scheme())
          + " credentials=<redacted "
          + a.credentialLength()
          + " bytes>";
    }
    if (b instanceof RequestBody.Sasl s) {
      return "token=<redacted " + s.tokenLength() + " bytes>";
    }
    if (b instanceof RequestBody.Connect c) {
      return "session="
          + Units.session(c.sessionId())
          + " timeout="
          + c.timeoutMs()
          + "ms"
          + (c.readOnly() != null && c.readOnly() ? " readOnly" : "");
    }
    if (b instanceof RequestBody.Multi m) {
      StringBuilder sb = new StringBuilder("[");
      for (RequestBody.SubOp op : m.ops()) {
        if (sb.length() > 1) {
          sb.append(", ");
        }
        sb.append(op.op().zkName()).append(' ').append(nz(op.path()));
      }
      return sb.append(']').toString();
    }
    if (b instanceof RequestBody.Create c) {
      return nz(r.path()) + " data=" + Math.max(0, c.dataLength()) + "B";
    }
    if (b instanceof RequestBody.SetData d) {
      return nz(r.path()) + " data=" + Math.max(0, d.dataLength()) + "B version=" + d.version();
    }
    if (b instanceof RequestBody.SetWatches w) {
      return "watches=" + w.total();
    }
    if (b instanceof RequestBody.Watch w && w.watch()) {
      return nz(r.path()) + " watch";
    }
    return nz(r.path());
  }

  private static String replyDetail(ReplyBody b) {
    if (b instanceof ReplyBody.Connect c) {
      return " session=" + Units.session(c.sessionId()) + " timeout=" + c.timeoutMs() + "ms";
    }
    if (b instanceof ReplyBody.Count c) {
      return " n=" + c.count();
    }
    if (b instanceof ReplyBody.Data d) {
      return " data=" + d.dataLength() + "B";
    }
    if (b instanceof ReplyBody.Multi m) {
      StringBuilder sb = new StringBuilder(" [");
      for (ReplyBody.SubResult r : m.results()) {
        if (sb.length() > 2) {
          sb.append(", ");
        }
        sb.append(KeeperErrors.name(r.err()));
      }
      return sb.append(']').toString();
    }
    return "";
  }

  private void flush() {
    if (flushEachLine) {
      out.flush();
    }
  }

  private static String nz(String s) {
    return s == null ? "-" : s;
  }

  private void line(
      long nanos,
      ConnectionMeta c,
      long session,
      int xid,
      String op,
      String what,
      String result,
      String latency,
      String sizes) {
    synchronized (out) {
      out.printf(
          "%s %s %s xid=%d %s %s %s %s %s%n",
          Units.instant(nanos),
          c.client(),
          Units.session(session),
          xid,
          op,
          what,
          result,
          latency,
          sizes);
      flush();
    }
  }
}
