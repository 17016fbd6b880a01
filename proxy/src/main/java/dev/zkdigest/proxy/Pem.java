package dev.zkdigest.proxy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PEM files: certificates, and private keys as PKCS#8 (plain or encrypted) or PKCS#1 RSA, the forms
 * that openssl and ZooKeeper's own PEM loader write. Error messages name the file and the problem,
 * never a byte of the key.
 */
final class Pem {
  private static final String BEGIN = "-----BEGIN ";
  private static final String END = "-----END ";
  private static final String PBES2_OID = "1.2.840.113549.1.5.13";
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "DSA"};

  /** One {@code -----BEGIN TYPE-----} block, decoded. */
  record Block(String type, byte[] der) {}

  private Pem() {}

  static boolean looksLikePem(byte[] content) {
    return new String(content, 0, Math.min(content.length, 4096), StandardCharsets.US_ASCII)
        .contains(BEGIN);
  }

  static List<Block> blocks(Path file, byte[] content) throws IOException {
    String text = new String(content, StandardCharsets.US_ASCII);
    List<Block> out = new ArrayList<>();
    int at = 0;
    while ((at = text.indexOf(BEGIN, at)) >= 0) {
      int typeEnd = text.indexOf("-----", at + BEGIN.length());
      if (typeEnd < 0) {
        throw new IOException(file + ": a PEM block that does not end");
      }
      String type = text.substring(at + BEGIN.length(), typeEnd);
      String end = END + type + "-----";
      int endAt = text.indexOf(end, typeEnd);
      if (endAt < 0) {
        throw new IOException(file + ": PEM block " + type + " has no END line");
      }
      String body = text.substring(typeEnd + "-----".length(), endAt);
      if (body.contains(":")) {
        // Proc-Type/DEK-Info headers: OpenSSL's legacy key encryption.
        throw new IOException(
            file
                + ": a legacy encrypted PEM key; convert it with"
                + " openssl pkcs8 -topk8 -in KEY -out KEY.p8");
      }
      try {
        out.add(new Block(type, Base64.getMimeDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ": PEM block " + type + " is not valid base64");
      }
      at = endAt + end.length();
    }
    return out;
  }

  static List<X509Certificate> certificates(Path file, List<Block> blocks) throws IOException {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      for (Block b : blocks) {
        if (b.type().equals("CERTIFICATE")) {
          certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new IOException(file + ": not a valid X.509 certificate");
    }
    return certs;
  }

  /** The first private key among {@code blocks}, or null if there is none. */
  static PrivateKey privateKey(Path file, List<Block> blocks, char[] password) throws IOException {
    for (Block b : blocks) {
      switch (b.type()) {
        case "PRIVATE KEY":
          return pkcs8(file, b.der());
        case "RSA PRIVATE KEY":
          return pkcs8(file, pkcs1ToPkcs8(b.der()));
        case "ENCRYPTED PRIVATE KEY":
          return pkcs8(file, decrypt(file, b.der(), password));
        case "EC PRIVATE KEY":
          throw new IOException(
              file
                  + ": an EC key in SEC1 form; convert it to PKCS#8 with"
                  + " openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8");
        default:
          // certificates and parameters around the key
      }
    }
    return null;
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws IOException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String alg : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new IOException(file + ": a private key of an unsupported or unknown algorithm");
  }

  private static byte[] decrypt(Path file, byte[] der, char[] password) throws IOException {
    if (password == null) {
      throw new IOException(file + ": the key is encrypted; give its password file");
    }
    try {
      EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
      String alg = info.getAlgName();
      if (PBES2_OID.equals(alg) || "PBES2".equals(alg)) {
        alg = info.getAlgParameters().toString(); // e.g. PBEWithHmacSHA256AndAES_256
      }
      SecretKeyFactory f = SecretKeyFactory.getInstance(alg);
      Cipher c = Cipher.getInstance(alg);
      c.init(
          Cipher.DECRYPT_MODE, f.generateSecret(new PBEKeySpec(password)), info.getAlgParameters());
      return info.getKeySpec(c).getEncoded();
    } catch (GeneralSecurityException | IOException e) {
      throw new IOException(file + ": cannot decrypt the key (wrong password?)");
    }
  }

  /** Wraps a PKCS#1 RSAPrivateKey in a PKCS#8 PrivateKeyInfo, which the JDK reads. */
  private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
    byte[] version = {0x02, 0x01, 0x00};
    // SEQUENCE { OID 1.2.840.113549.1.1.1 (rsaEncryption), NULL }
    byte[] rsaAlgorithm = {
      0x30,
      0x0d,
      0x06,
      0x09,
      0x2a,
      (byte) 0x86,
      0x48,
      (byte) 0x86,
      (byte) 0xf7,
      0x0d,
      0x01,
      0x01,
      0x01,
      0x05,
      0x00
    };
    byte[] key = der(0x04, pkcs1);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(version);
    body.writeBytes(rsaAlgorithm);
    body.writeBytes(key);
    return der(0x30, body.toByteArray());
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }
}
