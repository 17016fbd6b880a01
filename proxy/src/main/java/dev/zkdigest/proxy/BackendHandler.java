package dev.zkdigest.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/** The upstream side of one proxied connection: forwards server bytes back to the client. */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private final Channel client;
  private final Tap tap;
  private final ProxyStats stats;

  BackendHandler(Channel client, Tap tap, ProxyStats stats) {
    this.client = client;
    this.tap = tap;
    this.stats = stats;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    tap.fromServer(buf);
    Relay.forward(ctx, buf, client);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      Relay.inputShutdown(ctx, client);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Relay.closeOnFlush(client);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset or I/O error on the server side: what was read is still written to the client, then
    // the client's side is closed (channelInactive).
    stats.upstreamResets.incrementAndGet();
    ctx.close();
  }
}
