package dev.zkdigest.proxy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * A private key and its certificate chain, read from PEM files or a PKCS#12 keystore and checked to
 * belong together. Files holding a key (or its password) that group or others may read are reported
 * as warnings. The key itself is never part of a message.
 */
record KeyMaterial(PrivateKey key, X509Certificate[] chain) {
  private static final byte[] PROBE = "zkdigest key check".getBytes(StandardCharsets.US_ASCII);

  /**
   * Loads {@code cert} (PEM chain or PKCS#12) and {@code key} (PEM, or null when {@code cert} holds
   * it).
   *
   * @param option how the user named {@code cert}, for messages (e.g. {@code --tls-cert})
   * @param warnings where warnings go, one line each
   */
  static KeyMaterial load(
      String option, Path cert, Path key, Path passwordFile, List<String> warnings)
      throws IOException {
    char[] password = passwordFile == null ? null : password(passwordFile, warnings);
    byte[] content = read(option, cert);
    KeyMaterial m;
    if (Pem.looksLikePem(content)) {
      List<Pem.Block> blocks = Pem.blocks(cert, content);
      List<X509Certificate> chain = Pem.certificates(cert, blocks);
      if (chain.isEmpty()) {
        throw new IOException(option + " " + cert + ": no certificate in it");
      }
      PrivateKey pk;
      if (key != null) {
        List<Pem.Block> keyBlocks = Pem.blocks(key, read("its key", key));
        pk = Pem.privateKey(key, keyBlocks, password);
        if (pk == null) {
          throw new IOException(key + ": no private key in it");
        }
        warnIfShared(key, warnings);
      } else {
        pk = Pem.privateKey(cert, blocks, password);
        if (pk == null) {
          throw new IOException(option + " " + cert + ": no private key in it; give its key file");
        }
        warnIfShared(cert, warnings);
      }
      m = new KeyMaterial(pk, chain.toArray(new X509Certificate[0]));
    } else {
      if (key != null) {
        throw new IOException(
            option + " " + cert + " is a keystore, which holds the key: give no key file");
      }
      m = pkcs12(option, cert, content, password == null ? new char[0] : password);
      warnIfShared(cert, warnings);
    }
    m.check(option, cert, key, warnings);
    return m;
  }

  /** CA certificates from a PEM file. */
  static X509Certificate[] authorities(String option, Path file) throws IOException {
    byte[] content = read(option, file);
    if (!Pem.looksLikePem(content)) {
      throw new IOException(option + " " + file + ": expected PEM CA certificates");
    }
    List<X509Certificate> cas = Pem.certificates(file, Pem.blocks(file, content));
    if (cas.isEmpty()) {
      throw new IOException(option + " " + file + ": no certificate in it");
    }
    return cas.toArray(new X509Certificate[0]);
  }

  private static KeyMaterial pkcs12(String option, Path file, byte[] content, char[] password)
      throws IOException {
    KeyStore ks;
    try {
      ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(content), password);
    } catch (IOException | GeneralSecurityException e) {
      throw new IOException(
          option
              + " "
              + file
              + ": neither PEM nor a PKCS#12 keystore that opens with the password given");
    }
    try {
      for (String alias : Collections.list(ks.aliases())) {
        if (!ks.isKeyEntry(alias)) {
          continue;
        }
        Key k = ks.getKey(alias, password);
        Certificate[] chain = ks.getCertificateChain(alias);
        if (k instanceof PrivateKey pk && chain != null && chain.length > 0) {
          X509Certificate[] x = new X509Certificate[chain.length];
          for (int i = 0; i < chain.length; i++) {
            x[i] = (X509Certificate) chain[i];
          }
          return new KeyMaterial(pk, x);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(
          option + " " + file + ": the key does not open with the password given");
    }
    throw new IOException(option + " " + file + ": no private key entry in the keystore");
  }

  /** The key must sign what the certificate's public key verifies; an expired one is a warning. */
  private void check(String option, Path cert, Path keyFile, List<String> warnings)
      throws IOException {
    X509Certificate leaf = chain[0];
    try {
      String alg =
          switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
          };
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(PROBE);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(leaf.getPublicKey());
      v.update(PROBE);
      if (!v.verify(sig)) {
        throw new GeneralSecurityException("mismatch");
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(
          option
              + " "
              + cert
              + ": the private key"
              + (keyFile != null ? " in " + keyFile : "")
              + " does not belong to its certificate");
    }
    try {
      leaf.checkValidity();
    } catch (CertificateExpiredException e) {
      warnings.add("the certificate in " + cert + " expired on " + leaf.getNotAfter().toInstant());
    } catch (CertificateNotYetValidException e) {
      warnings.add(
          "the certificate in " + cert + " is valid from " + leaf.getNotBefore().toInstant());
    }
  }

  private static char[] password(Path file, List<String> warnings) throws IOException {
    byte[] b = read("the password file", file);
    warnIfShared(file, warnings);
    String s = new String(b, StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    if (nl >= 0) {
      s = s.substring(0, nl);
    }
    if (s.endsWith("\r")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toCharArray();
  }

  private static byte[] read(String option, Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new IOException(option + " " + file + ": no such file");
    } catch (IOException e) {
      throw new IOException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
    }
  }

  /** Secrets that others can read are a mistake worth one line, not a refusal. */
  private static void warnIfShared(Path file, List<String> warnings) {
    try {
      Set<PosixFilePermission> p = Files.getPosixFilePermissions(file);
      List<String> who = new ArrayList<>();
      if (p.contains(PosixFilePermission.GROUP_READ)) {
        who.add("group");
      }
      if (p.contains(PosixFilePermission.OTHERS_READ)) {
        who.add("others");
      }
      if (!who.isEmpty()) {
        warnings.add(
            file
                + " holds a secret and is readable by "
                + String.join(" and ", who)
                + " (chmod 600 "
                + file
                + ")");
      }
    } catch (UnsupportedOperationException | IOException e) {
      // not a POSIX file system: nothing to say
    }
  }
}
