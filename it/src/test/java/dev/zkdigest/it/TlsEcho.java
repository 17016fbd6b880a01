package dev.zkdigest.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS upstream (the JDK's engine, client certificates required) that echoes every byte back and
 * keeps a SHA-256 of what it received, for transparency tests. Serves one connection.
 */
final class TlsEcho implements AutoCloseable {
  final SSLServerSocket server;
  final CompletableFuture<byte[]> received = new CompletableFuture<>();

  TlsEcho(SSLContext context) throws Exception {
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setNeedClientAuth(true);
    Thread t =
        new Thread(
            () -> {
              try (SSLSocket s = (SSLSocket) server.accept()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[65536];
                int n;
                while ((n = in.read(buf)) > 0) {
                  sha.update(buf, 0, n);
                  out.write(buf, 0, n);
                }
                received.complete(sha.digest());
              } catch (Exception e) {
                received.completeExceptionally(e);
              }
            },
            "tls-echo");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
