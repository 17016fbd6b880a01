package dev.zkdigest.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;

/**
 * The client side of one proxied connection: opens the upstream connection on the same event loop,
 * then forwards client bytes to it, reading the next chunk only once the previous one is written
 * (backpressure with no buffering of our own).
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private final InetSocketAddress upstreamAddress;
  private final int connectTimeoutMillis;
  private final Tap tap;
  private final ProxyStats stats;
  private final Class<? extends SocketChannel> channelType;
  private Channel upstream;

  FrontendHandler(
      InetSocketAddress upstream,
      int connectTimeoutMillis,
      Tap tap,
      ProxyStats stats,
      Class<? extends SocketChannel> channelType) {
    this.channelType = channelType;
    this.upstreamAddress = upstream;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.tap = tap;
    this.stats = stats;
  }

  private String upstreamKey() {
    return upstreamAddress.getHostString() + ":" + upstreamAddress.getPort();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    stats.accepted.incrementAndGet();
    stats.open.incrementAndGet();
    Channel client = ctx.channel();
    Bootstrap b =
        new Bootstrap()
            .group(client.eventLoop())
            .channel(channelType)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(new BackendHandler(client, tap, stats));
    InetSocketAddress target =
        new InetSocketAddress(upstreamAddress.getHostString(), upstreamAddress.getPort());
    b.connect(target)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    upstream = f.channel();
                    stats.upstreamOpened(upstreamKey());
                    if (client.isActive()) {
                      client.read();
                    } else {
                      upstream.close(); // the client left while we were connecting
                    }
                  } else {
                    // Close at once so the ZooKeeper client fails over to another server.
                    stats.upstreamFailures.incrementAndGet();
                    client.close();
                  }
                });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    tap.fromClient(buf);
    if (upstream == null || !upstream.isActive()) {
      buf.release();
      ctx.close();
      return;
    }
    Relay.forward(ctx, buf, upstream);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      Relay.inputShutdown(ctx, upstream);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stats.open.decrementAndGet();
    if (upstream != null) {
      stats.upstreamClosed(upstreamKey());
      Relay.closeOnFlush(upstream);
    }
    tap.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset or I/O error on the client side: drop both ends.
    stats.resets.incrementAndGet();
    Relay.closeOnFlush(ctx.channel());
  }
}
