package dev.zkdigest.proxy;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;

/** Which TLS implementation the proxy's {@code SslHandler}s use. */
public enum TlsEngine {
  /** OpenSSL (BoringSSL, netty-tcnative) where it loads, the JDK's engine otherwise. */
  AUTO,
  OPENSSL,
  JDK;

  /**
   * The provider to build contexts with.
   *
   * @throws IOException when OpenSSL was asked for and does not load here
   */
  SslProvider provider() throws IOException {
    return switch (this) {
      case JDK -> SslProvider.JDK;
      case OPENSSL -> {
        if (!OpenSsl.isAvailable()) {
          throw new IOException(
              "the OpenSSL TLS engine does not load here ("
                  + OpenSsl.unavailabilityCause().getMessage()
                  + "); use --tls-engine jdk");
        }
        yield SslProvider.OPENSSL;
      }
      case AUTO -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    };
  }

  /** How the startup line names an engine. */
  static String describe(SslProvider provider) {
    return provider == SslProvider.JDK
        ? "the JDK's TLS engine"
        : "OpenSSL (" + OpenSsl.versionString() + ")";
  }
}
