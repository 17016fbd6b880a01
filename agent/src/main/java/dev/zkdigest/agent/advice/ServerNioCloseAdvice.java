package dev.zkdigest.agent.advice;

import dev.zkdigest.agent.bootstrap.ZkdigestBridge;
import java.nio.channels.SocketChannel;
import net.bytebuddy.asm.Advice;

/** {@code NIOServerCnxn.closeSock(SocketChannel)}: the server closes a client's connection. */
public final class ServerNioCloseAdvice {
  private ServerNioCloseAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.Argument(0) SocketChannel sock) {
    ZkdigestBridge.closed(sock);
  }
}
