package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import java.nio.channels.SelectionKey;
import net.bytebuddy.asm.Advice;

/** {@code ClientCnxnSocketNIO.cleanup()}: the client drops its connection. */
public final class ClientNioCleanupAdvice {
  private ClientNioCleanupAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.FieldValue("sockKey") SelectionKey key) {
    if (key != null) {
      ZkdigestBridge.closed(key.channel());
    }
  }
}
