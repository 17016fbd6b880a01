package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import net.bytebuddy.asm.Advice;

/**
 * {@code ClientCnxnSocketNetty.sendPkt(Packet, boolean)}: marks the thread as sending on the
 * client's channel while the packet is encoded ({@link PacketEncodedAdvice} taps the bytes), since
 * the packet's buffer is not reachable from here.
 */
public final class NettyClientSendAdvice {
  private NettyClientSendAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.FieldValue("channel") Object channel) {
    ZkdigestBridge.sending(channel);
  }

  @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
  static void exit() {
    ZkdigestBridge.sent();
  }
}
