package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.TapSink;
import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import net.bytebuddy.asm.Advice;

/**
 * {@code NettyServerCnxnFactory.CnxnChannelHandler.channelRead}: a client's bytes, after TLS, as
 * the server is about to consume them.
 */
public final class NettyServerReadAdvice {
  private NettyServerReadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) Object msg) {
    if (ZkdigestBridge.active() && msg instanceof ByteBuf) {
      ByteBuf buf = (ByteBuf) msg;
      if (buf.isReadable()) {
        ZkdigestBridge.netty(ctx.channel(), TapSink.SERVER_SIDE, false, buf.nioBuffers());
      }
    }
  }
}
