package dev.zkdigest.agent;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.TlsInfo;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * What the agent learns of a tapped connection object: a JDK {@code SocketChannel} (NIO) or a Netty
 * {@code Channel}, which the agent cannot name (the application's Netty is not visible to it) and
 * so reads through reflection, once per connection.
 */
final class Endpoints {
  private static final String NO_SESSION = "SSL_NULL_WITH_NULL_NULL";

  /** Netty's methods by channel class (a handful of classes: NIO, epoll, ...). */
  private static final Map<Class<?>, Method[]> NETTY = new ConcurrentHashMap<>();

  private static final int LOCAL = 0;
  private static final int REMOTE = 1;
  private static final int IS_OPEN = 2;
  private static final int PIPELINE = 3;

  private Endpoints() {}

  static ConnectionMeta describe(long id, Object conn, int side, long nanos, boolean fromStart) {
    InetSocketAddress local = null;
    InetSocketAddress remote = null;
    TlsInfo tls = null;
    try {
      if (conn instanceof SocketChannel ch) {
        local = inet(ch.getLocalAddress());
        remote = inet(ch.getRemoteAddress());
      } else {
        Method[] m = netty(conn.getClass());
        local = inet((SocketAddress) m[LOCAL].invoke(conn));
        remote = inet((SocketAddress) m[REMOTE].invoke(conn));
        tls = tls(m[PIPELINE].invoke(conn), side);
      }
    } catch (Exception | LinkageError e) {
      // closed already, or not what we expected: the connection is still analysed, unnamed
    }
    boolean clientSide = side == dev.zkdigest.agent.bootstrap.TapSink.CLIENT_SIDE;
    InetSocketAddress client = clientSide ? local : remote;
    InetSocketAddress server = clientSide ? remote : local;
    return new ConnectionMeta(
        id, ip(client), port(client), ip(server), port(server), nanos, fromStart, tls);
  }

  /** Whether the connection is still open; true when it cannot be told. */
  static boolean isOpen(Object conn) {
    try {
      if (conn instanceof SocketChannel ch) {
        return ch.isOpen();
      }
      return (Boolean) netty(conn.getClass())[IS_OPEN].invoke(conn);
    } catch (Exception | LinkageError e) {
      return true;
    }
  }

  private static Method[] netty(Class<?> type) {
    return NETTY.computeIfAbsent(
        type,
        t -> {
          try {
            return new Method[] {
              t.getMethod("localAddress"),
              t.getMethod("remoteAddress"),
              t.getMethod("isOpen"),
              t.getMethod("pipeline")
            };
          } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The session of the pipeline's {@code ssl} handler (ZooKeeper's name for it, both sides). */
  private static TlsInfo tls(Object pipeline, int side) throws ReflectiveOperationException {
    Object handler = pipeline.getClass().getMethod("get", String.class).invoke(pipeline, "ssl");
    if (handler == null) {
      return null;
    }
    SSLEngine engine = (SSLEngine) handler.getClass().getMethod("engine").invoke(handler);
    SSLSession session = engine.getSession();
    if (session == null || NO_SESSION.equals(session.getCipherSuite())) {
      return null;
    }
    String subject = null;
    try {
      subject =
          side == dev.zkdigest.agent.bootstrap.TapSink.CLIENT_SIDE
              ? name(session.getLocalPrincipal())
              : name(session.getPeerPrincipal());
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      // no client certificate
    }
    return new TlsInfo(session.getProtocol(), session.getCipherSuite(), subject);
  }

  private static String name(java.security.Principal p) {
    return p == null ? null : p.getName();
  }

  private static InetSocketAddress inet(SocketAddress a) {
    return a instanceof InetSocketAddress i ? i : null;
  }

  private static String ip(InetSocketAddress a) {
    if (a == null) {
      return "?";
    }
    return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
  }

  private static int port(InetSocketAddress a) {
    return a == null ? 0 : a.getPort();
  }
}
