package dev.zkdigest.it.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A key pair and certificate made at test time with the JDK's keytool, in PKCS#12 files: the
 * server's and the clients' (ZooKeeper asks clients for a certificate by default), and a trust
 * store holding it.
 */
record TlsMaterial(Path keyStore, Path trustStore, String password) {
  static TlsMaterial make(Path dir) throws IOException, InterruptedException {
    String password = "test-only-" + Long.toHexString(System.nanoTime());
    Path keys = dir.resolve("keys.p12");
    Path trust = dir.resolve("trust.p12");
    Path cert = dir.resolve("cert.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    run(
        List.of(
            keytool,
            "-genkeypair",
            "-alias",
            "zk",
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keys.toString(),
            "-storepass",
            password),
        dir);
    run(
        List.of(
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "zk",
            "-keystore",
            keys.toString(),
            "-storepass",
            password,
            "-file",
            cert.toString()),
        dir);
    run(
        List.of(
            keytool,
            "-importcert",
            "-noprompt",
            "-alias",
            "zk",
            "-file",
            cert.toString(),
            "-storetype",
            "PKCS12",
            "-keystore",
            trust.toString(),
            "-storepass",
            password),
        dir);
    return new TlsMaterial(keys, trust, password);
  }

  /** ZooKeeper's TLS settings as system properties, the same names for server and client. */
  List<String> systemProperties() {
    return List.of(
        "-Dzookeeper.ssl.keyStore.location=" + keyStore,
        "-Dzookeeper.ssl.keyStore.password=" + password,
        "-Dzookeeper.ssl.trustStore.location=" + trustStore,
        "-Dzookeeper.ssl.trustStore.password=" + password,
        // 3.9 servers default to TLSv1.3 alone, older clients to TLSv1.2: allow both everywhere.
        "-Dzookeeper.ssl.enabledProtocols=TLSv1.3,TLSv1.2");
  }

  private static void run(List<String> cmd, Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool failed: " + out);
    }
  }
}
