package dev.zkdigest.proxy;

import io.netty.handler.ssl.OpenSslCertificateException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's trust manager for given CAs, telling OpenSSL that an untrusted chain has an unknown
 * issuer: OpenSSL then sends the peer the {@code unknown_ca} alert instead of {@code
 * internal_error}, which says nothing to whoever reads the client's log. The JDK's engine sends its
 * own alerts and does not need this.
 */
final class UnknownCaAlerts extends X509ExtendedTrustManager {
  /** OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, which it reports as unknown_ca. */
  private static final int UNKNOWN_ISSUER = 20;

  private final X509ExtendedTrustManager jdk;

  private UnknownCaAlerts(X509ExtendedTrustManager jdk) {
    this.jdk = jdk;
  }

  static X509ExtendedTrustManager trusting(X509Certificate[] cas) throws GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      ks.load(null, null);
    } catch (java.io.IOException e) {
      throw new GeneralSecurityException(e);
    }
    for (int i = 0; i < cas.length; i++) {
      ks.setCertificateEntry("ca" + i, cas[i]);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    return new UnknownCaAlerts((X509ExtendedTrustManager) tmf.getTrustManagers()[0]);
  }

  private static CertificateException clearer(CertificateException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertPathBuilderException) {
        return new OpenSslCertificateException(e.getMessage(), e, UNKNOWN_ISSUER);
      }
    }
    return e;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      jdk.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw clearer(e);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      jdk.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      throw clearer(e);
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    jdk.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    jdk.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    jdk.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    jdk.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return jdk.getAcceptedIssuers();
  }
}
