package dev.zkdigest.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;

/**
 * The upstream side of one proxied connection: reports the end of its TLS handshake to the client
 * side, then forwards server bytes back to the client.
 */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private final Channel client;
  private final Tap tap;
  private final FrontendHandler front;
  private final Listener listener;

  BackendHandler(Channel client, Tap tap, FrontendHandler front, Listener listener) {
    this.client = client;
    this.tap = tap;
    this.front = front;
    this.listener = listener;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read(); // with TLS, the ServerHello; the SslHandler reads on until the handshake ends
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf buf = (ByteBuf) msg;
    tap.fromServer(buf);
    Relay.forward(ctx, buf, client);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done) {
      if (done.isSuccess()) {
        listener.stats.upstreamTlsHandshakes.incrementAndGet();
        front.upstreamReady();
      } else {
        TlsHandshakes.upstreamFailed(
            listener.stats,
            listener.upstreamKey,
            FrontendHandler.hostPort((InetSocketAddress) client.remoteAddress()),
            done.cause());
        ctx.close();
        front.upstreamFailed();
      }
    } else if (evt instanceof ChannelInputShutdownEvent) {
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
    listener.stats.upstreamResets.incrementAndGet();
    ctx.close();
  }
}
