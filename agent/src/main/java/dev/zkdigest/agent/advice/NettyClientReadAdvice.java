package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.TapSink;
import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import net.bytebuddy.asm.Advice;

/**
 * {@code ClientCnxnSocketNetty.ZKClientHandler.channelRead0}: what the server sent, after TLS, as
 * the client is about to consume it.
 */
public final class NettyClientReadAdvice {
  private NettyClientReadAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(
      @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) ByteBuf buf) {
    if (ZkdigestBridge.active() && buf.isReadable()) {
      ZkdigestBridge.netty(ctx.channel(), TapSink.CLIENT_SIDE, false, buf.nioBuffers());
    }
  }
}
