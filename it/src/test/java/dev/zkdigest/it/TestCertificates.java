package dev.zkdigest.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time, for TLS tests: a CA ({@link #authority}), and certificates it
 * issues, valid now, expired, or for other names; written as PEM, PKCS#8 keys or PKCS#12 keystores.
 * Keys are EC P-256 (quick to make; every engine here speaks ECDSA).
 *
 * <pre>{@code
 * TestCertificates.Authority ca = TestCertificates.authority("test CA");
 * TestCertificates.Issued server = ca.issue("localhost");     // names localhost, 127.0.0.1, ::1
 * TestCertificates.Files f = server.writeTo(dir, "server");   // server.pem, server.key (0600)
 * Path p12 = server.writePkcs12(dir.resolve("server.p12"), "secret");
 * TestCertificates.Issued old = ca.issueExpired("client");
 * }</pre>
 */
public final class TestCertificates {
  /** Every certificate names these, so hostname checks pass on loopback unless a test wants not. */
  public static final String[] LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"};

  private static final String SIGNATURE = "SHA256withECDSA";
  private static final Duration VALIDITY = Duration.ofDays(1);
  private static final Duration SKEW = Duration.ofMinutes(5);
  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private TestCertificates() {}

  /** Where an issued certificate and its key were written. */
  public record Files(Path cert, Path key) {}

  /** A new self-signed CA, valid from a few minutes ago for a day. */
  public static Authority authority(String name) {
    KeyPair keys = newKeys();
    X500Principal subject = new X500Principal("CN=" + name + ",O=zkdigest tests");
    Instant now = Instant.now();
    X509Certificate cert =
        sign(
            subject, keys, subject, keys, now.minus(SKEW), now.plus(VALIDITY), true, new String[0]);
    return new Authority(cert, keys);
  }

  /** A CA: its certificate, and what it signs with. */
  public static final class Authority {
    private final X509Certificate certificate;
    private final KeyPair keys;

    private Authority(X509Certificate certificate, KeyPair keys) {
      this.certificate = certificate;
      this.keys = keys;
    }

    public X509Certificate certificate() {
      return certificate;
    }

    /** A certificate for {@code CN=name}, valid now, for server and client use on loopback. */
    public Issued issue(String name) {
      Instant now = Instant.now();
      return issue(name, now.minus(SKEW), now.plus(VALIDITY), LOOPBACK_NAMES);
    }

    /** A certificate that expired an hour ago (valid the day before). */
    public Issued issueExpired(String name) {
      Instant now = Instant.now();
      return issue(
          name, now.minus(Duration.ofDays(2)), now.minus(Duration.ofHours(1)), LOOPBACK_NAMES);
    }

    /** A certificate naming only {@code dnsNames} (and not loopback, unless listed). */
    public Issued issueFor(String name, String... dnsNames) {
      Instant now = Instant.now();
      return issue(name, now.minus(SKEW), now.plus(VALIDITY), dnsNames);
    }

    public Issued issue(String name, Instant notBefore, Instant notAfter, String... altNames) {
      KeyPair leaf = newKeys();
      X500Principal subject = new X500Principal("CN=" + name + ",O=zkdigest tests");
      X509Certificate cert =
          sign(
              subject,
              leaf,
              certificate.getSubjectX500Principal(),
              keys,
              notBefore,
              notAfter,
              false,
              altNames);
      return new Issued(cert, leaf.getPrivate(), this);
    }

    /** The CA certificate as PEM, for a trust store or a {@code --tls-client-ca}. */
    public Path writeCertificate(Path file) {
      writeString(file, pem("CERTIFICATE", encoded(certificate)));
      return file;
    }
  }

  /** A certificate, its private key, and the CA that issued it. */
  public record Issued(X509Certificate certificate, PrivateKey key, Authority issuer) {
    /** The subject as RFC 2253 names it ({@code CN=app,O=zkdigest tests}). */
    public String subject() {
      return certificate.getSubjectX500Principal().getName();
    }

    /**
     * {@code NAME.pem} (the certificate) and {@code NAME.key} (PKCS#8, mode 0600) in {@code dir}.
     */
    public Files writeTo(Path dir, String name) {
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + ".key");
      writeCertificate(cert);
      writeKey(key);
      return new Files(cert, key);
    }

    public Path writeCertificate(Path file) {
      writeString(file, pem("CERTIFICATE", encoded(certificate)));
      return file;
    }

    /** The key as unencrypted PKCS#8 PEM, readable by its owner only. */
    public Path writeKey(Path file) {
      writeString(file, pem("PRIVATE KEY", key.getEncoded()));
      try {
        java.nio.file.Files.setPosixFilePermissions(
            file, PosixFilePermissions.fromString("rw-------"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return file;
    }

    /** Certificate then key in one PEM file, as haproxy's {@code crt} takes them. */
    public Path writeCombined(Path file) {
      writeString(
          file, pem("CERTIFICATE", encoded(certificate)) + pem("PRIVATE KEY", key.getEncoded()));
      return file;
    }

    /** A PKCS#12 keystore with the key and its chain (this certificate, then the CA's). */
    public Path writePkcs12(Path file, String password) {
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(
            "key",
            key,
            password.toCharArray(),
            new X509Certificate[] {certificate, issuer.certificate()});
        try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
          ks.store(out, password.toCharArray());
        }
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(
      X500Principal subject,
      KeyPair subjectKeys,
      X500Principal issuer,
      KeyPair issuerKeys,
      Instant notBefore,
      Instant notAfter,
      boolean ca,
      String[] altNames) {
    try {
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              issuer,
              BigInteger.valueOf(SERIALS.incrementAndGet()),
              Date.from(notBefore),
              Date.from(notAfter),
              subject,
              subjectKeys.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      b.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          ext.createSubjectKeyIdentifier(subjectKeys.getPublic()));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          ext.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
      if (ca) {
        b.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(
            Extension.keyUsage,
            true,
            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        if (altNames.length > 0) {
          GeneralName[] names = new GeneralName[altNames.length];
          for (int i = 0; i < altNames.length; i++) {
            String n = altNames[i];
            boolean ip =
                n.contains(":") || n.chars().allMatch(c -> c == '.' || Character.isDigit(c));
            names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n);
          }
          b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder(SIGNATURE).build(issuerKeys.getPrivate())));
    } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
      throw new IllegalStateException("cannot make a test certificate", e);
    }
  }

  private static byte[] encoded(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static void writeString(Path file, String s) {
    try {
      java.nio.file.Files.writeString(file, s, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
