package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;

/**
 * {@code ClientCnxn.Packet.createBB()}: the request's bytes, exactly as the Netty client writes
 * them next (the bridge ignores the NIO client's, which it taps at the socket).
 */
public final class PacketEncodedAdvice {
  private PacketEncodedAdvice() {}

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.FieldValue("bb") ByteBuffer bb) {
    ZkdigestBridge.encoded(bb);
  }
}
