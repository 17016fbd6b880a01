package dev.zkdigest.proxy;

import java.nio.file.Path;

/**
 * TLS on a listening address: the proxy is the TLS server its clients connect to.
 *
 * @param cert the proxy's certificate chain (PEM), or a PKCS#12 keystore holding key and chain
 * @param key the private key (PEM); null when {@code cert} is a PKCS#12 keystore or a PEM file that
 *     holds the key too
 * @param passwordFile the password of an encrypted key or of the keystore (its first line), or null
 * @param clientCa CA certificates (PEM) that client certificates must chain to; null: no client
 *     certificate asked for. When given, a client without a valid certificate is refused (mutual
 *     TLS).
 */
public record ListenerTls(Path cert, Path key, Path passwordFile, Path clientCa) {
  public ListenerTls {
    if (cert == null) {
      throw new IllegalArgumentException("a TLS listener needs --tls-cert");
    }
  }
}
