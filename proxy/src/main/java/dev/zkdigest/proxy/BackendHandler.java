package dev.zkdigest.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;

/** The upstream side of one proxied connection: forwards server bytes back to the client. */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private final Channel client;
  private final Tap tap;

  BackendHandler(Channel client, Tap tap) {
    this.client = client;
    this.tap = tap;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    tap.fromServer(buf);
    client
        .writeAndFlush(buf)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    ctx.channel().read();
                  } else {
                    f.channel().close();
                    ctx.close();
                  }
                });
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      if (client instanceof SocketChannel s && s.isActive()) {
        s.shutdownOutput();
        if (((SocketChannel) ctx.channel()).isOutputShutdown()) {
          ctx.close();
        }
      } else {
        ctx.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    FrontendHandler.closeOnFlush(client);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    FrontendHandler.closeOnFlush(ctx.channel());
  }
}
