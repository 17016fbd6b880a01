package dev.zkdigest.proxy;

import java.nio.file.Path;

/**
 * TLS to the upstream ZooKeeper server: the proxy is a TLS client of its {@code secureClientPort}.
 *
 * @param ca CA certificates (PEM) the server's certificate must chain to; null: the JVM's default
 *     trust store
 * @param cert the certificate chain (PEM) or PKCS#12 keystore the proxy presents to the server (for
 *     ZooKeeper's {@code ssl.clientAuth}), or null for none
 * @param key its private key (PEM), or null (PKCS#12, or a PEM file holding both)
 * @param passwordFile the password of an encrypted key or of the keystore, or null
 * @param insecure whether the server's certificate is accepted without naming the upstream host
 *     (its chain is still checked)
 */
public record UpstreamTls(Path ca, Path cert, Path key, Path passwordFile, boolean insecure) {
  public UpstreamTls {
    if (cert == null && (key != null || passwordFile != null)) {
      throw new IllegalArgumentException("--upstream-key needs --upstream-cert");
    }
  }
}
