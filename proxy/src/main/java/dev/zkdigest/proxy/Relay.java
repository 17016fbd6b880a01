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

  /**
   * {@code from} half-closed: pass the FIN on once everything read before it is written, and keep
   * the other direction open. Shutting the output at once would fail the writes still queued for a
   * slow reader, and the tail of the stream would be lost.
   */
  static void inputShutdown(ChannelHandlerContext from, Channel to) {
    if (!(to instanceof SocketChannel s) || !s.isActive()) {
      from.close();
      return;
    }
    // Writes complete in order: this one's listener runs after every earlier write is out.
    s.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (!written.isSuccess()) {
                    from.close();
                    return;
                  }
                  s.shutdownOutput();
                  if (((SocketChannel) from.channel()).isOutputShutdown()) {
                    from.close();
                  }
                });
  }

  static void closeOnFlush(Channel ch) {
    if (ch.isActive()) {
      ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
