package dev.zkdigest.it;

import dev.zkdigest.proxy.ListenerTls;
import dev.zkdigest.proxy.Route;
import dev.zkdigest.proxy.UpstreamTls;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.common.ClientX509Util;

/**
 * The certificates of a TLS deployment, made for one test in {@code dir}, with a CA per role so a
 * mix-up shows: ZooKeeper's server certificate from the ZooKeeper CA; clients' certificates (and
 * the proxy's own, towards ZooKeeper) from the clients' CA; the proxy's listening certificate from
 * the proxy CA; and a rogue CA that nobody trusts.
 */
public final class TlsFixture {
  public static final String PASSWORD = "test-password";

  public final Path dir;
  public final TestCertificates.Authority zookeeperCa = TestCertificates.authority("zookeeper CA");
  public final TestCertificates.Authority clientsCa = TestCertificates.authority("clients CA");
  public final TestCertificates.Authority proxyCa = TestCertificates.authority("proxy CA");
  public final TestCertificates.Authority rogueCa = TestCertificates.authority("rogue CA");
  public final Path zookeeperCaPem;
  public final Path clientsCaPem;
  public final Path proxyCaPem;

  /** The proxy's certificate towards clients, and the one it shows ZooKeeper. */
  public final TestCertificates.Files proxyListening;

  public final TestCertificates.Files proxyToZooKeeper;

  public TlsFixture(Path dir) {
    this.dir = dir;
    zookeeperCaPem = zookeeperCa.writeCertificate(dir.resolve("zookeeper-ca.pem"));
    clientsCaPem = clientsCa.writeCertificate(dir.resolve("clients-ca.pem"));
    proxyCaPem = proxyCa.writeCertificate(dir.resolve("proxy-ca.pem"));
    proxyListening = proxyCa.issue("zkdigest proxy").writeTo(dir, "proxy");
    proxyToZooKeeper = clientsCa.issue("zkdigest upstream").writeTo(dir, "proxy-upstream");
  }

  /** What an embedded secure ZooKeeper presents and trusts. */
  public EmbeddedZooKeeper.Tls zookeeperTls() {
    Path ks = zookeeperCa.issue("zookeeper").writePkcs12(dir.resolve("zookeeper.p12"), PASSWORD);
    return new EmbeddedZooKeeper.Tls(ks, PASSWORD, clientsCaPem);
  }

  /** Client TLS and upstream TLS, mutual on both sides. */
  Route tlsRoute(int upstreamPort) {
    return new Route(
        InetSocketAddress.createUnresolved("127.0.0.1", 0),
        InetSocketAddress.createUnresolved("127.0.0.1", upstreamPort),
        listenerTls(),
        upstreamTls(false));
  }

  ListenerTls listenerTls() {
    return new ListenerTls(proxyListening.cert(), proxyListening.key(), null, clientsCaPem);
  }

  UpstreamTls upstreamTls(boolean insecure) {
    return new UpstreamTls(
        zookeeperCaPem, proxyToZooKeeper.cert(), proxyToZooKeeper.key(), null, insecure);
  }

  /**
   * ZooKeeper's Java client over TLS as its documentation sets it up: the Netty socket, {@code
   * zookeeper.client.secure}, and {@code zookeeper.ssl.*}, here with {@code cert} as the client's
   * certificate and {@code trusted} as what it trusts.
   */
  public ZKClientConfig clientConfig(TestCertificates.Issued cert, Path trusted) {
    String name = cert.certificate().getSerialNumber().toString();
    Path ks = cert.writePkcs12(dir.resolve("client-" + name + ".p12"), PASSWORD);
    ZKClientConfig c = new ZKClientConfig();
    c.setProperty(
        ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
    c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
    c.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
    c.setProperty("zookeeper.ssl.keyStore.location", ks.toString());
    c.setProperty("zookeeper.ssl.keyStore.password", PASSWORD);
    c.setProperty("zookeeper.ssl.keyStore.type", "PKCS12");
    c.setProperty("zookeeper.ssl.trustStore.location", trusted.toString());
    c.setProperty("zookeeper.ssl.trustStore.type", "PEM");
    c.setProperty("zookeeper.ssl.trustStore.password", "");
    c.setProperty("zookeeper.ssl.hostnameVerification", "true");
    return c;
  }

  /** A client trusting the proxy CA, with {@code cert} as its certificate. */
  public ZKClientConfig clientConfig(TestCertificates.Issued cert) {
    return clientConfig(cert, proxyCaPem);
  }

  /** An unconnected TLS socket made by ZooKeeper's own client TLS code from {@code config}. */
  static SSLSocket socket(ZKClientConfig config) throws Exception {
    try (ClientX509Util x509 = new ClientX509Util()) {
      return x509.createSSLContextAndOptions(config).createSSLSocket();
    }
  }

  /** A JDK TLS context presenting {@code cert} and trusting {@code trusted}. */
  static SSLContext jdkContext(TestCertificates.Issued cert, X509Certificate trusted)
      throws Exception {
    return jdkContext(cert, trusted, false);
  }

  /**
   * A client context that presents {@code cert} whichever CAs the server asks for, as clients built
   * on OpenSSL do (the JDK's key manager offers only certificates from the CAs asked for).
   */
  static SSLContext jdkContextAlwaysPresenting(
      TestCertificates.Issued cert, X509Certificate trusted) throws Exception {
    return jdkContext(cert, trusted, true);
  }

  private static SSLContext jdkContext(
      TestCertificates.Issued cert, X509Certificate trusted, boolean always) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "key",
        cert.key(),
        PASSWORD.toCharArray(),
        new X509Certificate[] {cert.certificate(), cert.issuer().certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", trusted);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    KeyManager[] kms = kmf.getKeyManagers();
    if (always) {
      kms = new KeyManager[] {new AlwaysPresenting((X509ExtendedKeyManager) kms[0], cert)};
    }
    ctx.init(kms, tmf.getTrustManagers(), null);
    return ctx;
  }

  /** A key manager offering its one certificate whatever the server asks for. */
  private static final class AlwaysPresenting extends X509ExtendedKeyManager {
    private static final String ALIAS = "key";
    private final X509ExtendedKeyManager server;
    private final TestCertificates.Issued cert;

    AlwaysPresenting(X509ExtendedKeyManager server, TestCertificates.Issued cert) {
      this.server = server;
      this.cert = cert;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine e) {
      return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket s) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return server.getServerAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket s) {
      return server.chooseServerAlias(keyType, issuers, s);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return new X509Certificate[] {cert.certificate(), cert.issuer().certificate()};
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return cert.key();
    }
  }
}
