package dev.zkdigest.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.SocketChannel;

/** What both halves of a proxied connection do the same way: forward, half-close, close. */
final class Relay {
  private Relay() {}

  /** Writes {@code buf} to {@code to}; reads the next chunk from {@code from} once it is out. */
  static void forward(ChannelHandlerContext from, ByteBuf buf, Channel to) {
    to.writeAndFlush(buf)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    from.channel().read();
                  } else {
                    f.channel().close();
                    from.close();
                  }
                });
  }

  /** {@code from} half-closed: pass the FIN on and keep the other direction open. */
  static void inputShutdown(ChannelHandlerContext from, Channel to) {
    if (to instanceof SocketChannel s && s.isActive()) {
      s.shutdownOutput();
      if (((SocketChannel) from.channel()).isOutputShutdown()) {
        from.close();
      }
    } else {
      from.close();
    }
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
