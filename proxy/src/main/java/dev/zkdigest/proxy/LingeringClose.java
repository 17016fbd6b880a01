package dev.zkdigest.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * Lets a refused client read why. When a TLS handshake fails, the alert is sent and the connection
 * closed at once; a client still sending the end of its handshake then gets a reset, and reports
 * "broken pipe" instead of the alert. So a refused connection is half-closed after the alert, what
 * the client still sends is read and dropped, and it is closed at the client's end of stream or
 * after {@link #LINGER_MILLIS}, whichever comes first (nothing is kept meanwhile).
 *
 * <p>Sits first in a TLS listener's pipeline, before the {@code SslHandler}, so it sees the
 * handler's close and the raw bytes. Threading: the channel's event loop.
 */
final class LingeringClose extends ChannelDuplexHandler {
  static final long LINGER_MILLIS = 1_000;

  private boolean refused;
  private boolean lingering;

  /** The handshake failed: the next close lingers. */
  void refused() {
    refused = true;
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    if (lingering) {
      // the SslHandler's own close after ours: the lingering one will do
      ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
      return;
    }
    if (!refused || !(ctx.channel() instanceof SocketChannel ch) || !ch.isActive()) {
      ctx.close(promise);
      return;
    }
    lingering = true;
    ctx.flush();
    ch.shutdownOutput()
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    ctx.close(promise);
                    return;
                  }
                  ctx.executor()
                      .schedule(() -> ctx.close(promise), LINGER_MILLIS, TimeUnit.MILLISECONDS);
                  ch.config().setAutoRead(true);
                });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (lingering) {
      ReferenceCountUtil.release(msg);
    } else {
      ctx.fireChannelRead(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (lingering && evt instanceof ChannelInputShutdownEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (lingering) {
      ctx.close(); // a reset while lingering: nothing more to say
      return;
    }
    ctx.fireExceptionCaught(cause);
  }
}
