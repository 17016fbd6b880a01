package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import io.netty.channel.ChannelHandlerContext;
import net.bytebuddy.asm.Advice;

/** {@code channelInactive} of ZooKeeper's client and server handlers: the connection closed. */
public final class NettyInactiveAdvice {
  private NettyInactiveAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) ChannelHandlerContext ctx) {
    ZkdigestBridge.closed(ctx.channel());
  }
}
