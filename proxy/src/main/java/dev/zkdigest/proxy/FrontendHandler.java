package dev.zkdigest.proxy;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.TlsInfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The client side of one proxied connection: completes the client's TLS handshake when the route
 * has one, opens the upstream connection on the same event loop (with its own TLS handshake), then
 * forwards client bytes to it, reading the next chunk only once the previous one is written
 * (backpressure with no buffering of our own).
 *
 * <p>Threading: every method runs on the connection's event loop, which the upstream channel
 * shares; the fields are confined to it.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private enum State {
    /** The client's TLS handshake is under way; nothing is connected upstream yet. */
    CLIENT_HANDSHAKE,
    /** Connecting to the upstream, and its TLS handshake if it has one. */
    CONNECTING,
    FORWARDING,
    /** The client's handshake failed; the channel is closing. */
    REFUSED
  }

  private final Listener listener;
  private State state;
  private ChannelHandlerContext ctx;
  private long acceptedNanos;
  private Tap tap;
  private Channel upstream;

  /**
   * Client bytes that arrived before the upstream was ready. Only a TLS client gets here: its
   * {@code SslHandler} reads on past the handshake until it has passed data on, so this holds at
   * most the rest of those reads (a few tens of KiB), and plain clients are not read before.
   */
  private ArrayDeque<ByteBuf> early;

  FrontendHandler(Listener listener) {
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    listener.stats.accepted.incrementAndGet();
    listener.stats.open.incrementAndGet();
    acceptedNanos = Clock.epochNanos();
    if (listener.tlsToClients()) {
      state = State.CLIENT_HANDSHAKE;
      ctx.read(); // the ClientHello; the SslHandler reads on by itself until the handshake ends
    } else {
      connect(null);
    }
  }

  private void connect(TlsInfo tls) {
    state = State.CONNECTING;
    Channel client = ctx.channel();
    tap =
        listener.taps.open(
            (InetSocketAddress) client.remoteAddress(), listener.upstream, acceptedNanos, tls);
    BackendHandler backend = new BackendHandler(client, tap, this, listener);
    Bootstrap b =
        new Bootstrap()
            .group(client.eventLoop())
            .channel(listener.channelType)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, listener.connectTimeoutMillis);
    if (listener.tlsToUpstream()) {
      b.handler(
          new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              ch.pipeline()
                  .addLast(listener.tls.newUpstreamHandler(ch.alloc(), listener.upstream))
                  .addLast(backend);
            }
          });
    } else {
      b.handler(backend);
    }
    InetSocketAddress target =
        new InetSocketAddress(listener.upstream.getHostString(), listener.upstream.getPort());
    b.connect(target)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    upstream = f.channel();
                    listener.stats.upstreamOpened(listener.upstreamKey);
                    if (!client.isActive()) {
                      upstream.close(); // the client left while we were connecting
                    } else if (!listener.tlsToUpstream()) {
                      upstreamReady();
                    } // else the backend calls upstreamReady() once its handshake is done
                  } else {
                    // Close at once so the ZooKeeper client fails over to another server.
                    listener.stats.upstreamFailures.incrementAndGet();
                    client.close();
                  }
                });
  }

  /** The upstream is connected (and through its handshake): forward what waited, then read on. */
  void upstreamReady() {
    if (state != State.CONNECTING || !ctx.channel().isActive()) {
      return;
    }
    state = State.FORWARDING;
    if (early == null || early.isEmpty()) {
      ctx.read();
      return;
    }
    while (early.size() > 1) {
      upstream.write(early.poll());
    }
    Relay.forward(ctx, early.poll(), upstream);
  }

  /** The upstream's TLS handshake failed (counted by the backend): the client goes too. */
  void upstreamFailed() {
    ctx.close();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    switch (state) {
      case FORWARDING -> {
        tap.fromClient(buf);
        if (!upstream.isActive()) {
          buf.release();
          ctx.close();
          return;
        }
        Relay.forward(ctx, buf, upstream);
      }
      case CONNECTING -> {
        tap.fromClient(buf);
        if (early == null) {
          early = new ArrayDeque<>(2);
        }
        early.add(buf);
      }
      default -> buf.release();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (state != State.CLIENT_HANDSHAKE) {
        return;
      }
      if (done.isSuccess()) {
        listener.stats.tlsHandshakes.incrementAndGet();
        connect(TlsHandshakes.info(ctx.pipeline().get(SslHandler.class)));
      } else {
        state = State.REFUSED;
        ctx.pipeline().get(LingeringClose.class).refused();
        TlsHandshakes.clientFailed(
            listener.stats,
            hostPort((InetSocketAddress) ctx.channel().remoteAddress()),
            hostPort((InetSocketAddress) ctx.channel().localAddress()),
            done.cause());
        ctx.close();
      }
    } else if (evt instanceof ChannelInputShutdownEvent) {
      Relay.inputShutdown(ctx, upstream);
    }
  }

  static String hostPort(InetSocketAddress a) {
    return a == null ? "?" : ConnectionMeta.hostPort(a.getAddress().getHostAddress(), a.getPort());
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    listener.stats.open.decrementAndGet();
    if (upstream != null) {
      listener.stats.upstreamClosed(listener.upstreamKey);
      Relay.closeOnFlush(upstream);
    }
    if (early != null) {
      early.forEach(ByteBuf::release);
      early.clear();
    }
    if (tap != null) {
      tap.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (state == State.CLIENT_HANDSHAKE || state == State.REFUSED) {
      // The SslHandler's own report of a failed handshake, counted from its event (which comes
      // first, or when the channel closes): neither a reset nor worth a stack trace.
      ctx.close();
      return;
    }
    // A reset or I/O error on the client side: drop both ends.
    listener.stats.resets.incrementAndGet();
    Relay.closeOnFlush(ctx.channel());
  }
}
