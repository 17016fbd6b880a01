package dev.zkdigest.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.junit.jupiter.api.Test;

/** Private keys in the PEM forms openssl writes, and messages that never carry key bytes. */
class PemTest {
  private static final Path FILE = Path.of("key.pem");
  private static final String PBE = "PBEWithSHA1AndDESede"; // PKCS#12 PBE, which JDK 17 also writes

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static PrivateKey read(String pem, char[] password) throws IOException {
    byte[] content = pem.getBytes(StandardCharsets.US_ASCII);
    return Pem.privateKey(FILE, Pem.blocks(FILE, content), password);
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    return g.generateKeyPair();
  }

  /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: its last element, an OCTET STRING. */
  private static byte[] pkcs1(byte[] pkcs8) {
    // 30 82 LL LL | 02 01 00 | 30 0d (rsaEncryption, NULL) | 04 82 LL LL | RSAPrivateKey
    int at = 4 + 3 + 15;
    assertThat(pkcs8[at]).isEqualTo((byte) 0x04);
    return Arrays.copyOfRange(pkcs8, at + 4, pkcs8.length);
  }

  @Test
  void readsPkcs8AndPkcs1RsaKeys() throws Exception {
    KeyPair k = rsa();
    byte[] pkcs8 = k.getPrivate().getEncoded();
    assertThat(read(pem("PRIVATE KEY", pkcs8), null)).isEqualTo(k.getPrivate());
    assertThat(read(pem("RSA PRIVATE KEY", pkcs1(pkcs8)), null).getEncoded()).isEqualTo(pkcs8);
  }

  @Test
  void decryptsAnEncryptedPkcs8KeyWithItsPasswordOnly() throws Exception {
    KeyPair k = rsa();
    char[] password = "correct horse".toCharArray();
    byte[] salt = new byte[16];
    PBEParameterSpec spec = new PBEParameterSpec(salt, 10_000);
    Cipher c = Cipher.getInstance(PBE);
    c.init(
        Cipher.ENCRYPT_MODE,
        SecretKeyFactory.getInstance(PBE).generateSecret(new PBEKeySpec(password)),
        spec);
    AlgorithmParameters params = c.getParameters();
    byte[] encrypted =
        new EncryptedPrivateKeyInfo(params, c.doFinal(k.getPrivate().getEncoded())).getEncoded();
    String pem = pem("ENCRYPTED PRIVATE KEY", encrypted);

    assertThat(read(pem, password)).isEqualTo(k.getPrivate());
    assertThatThrownBy(() -> read(pem, "wrong".toCharArray()))
        .isInstanceOf(IOException.class)
        .hasMessage("key.pem: cannot decrypt the key (wrong password?)");
    assertThatThrownBy(() -> read(pem, null))
        .hasMessage("key.pem: the key is encrypted; give its password file");
  }

  @Test
  void namesTheConversionForKeyFormsItDoesNotRead() {
    assertThatThrownBy(() -> read(pem("EC PRIVATE KEY", new byte[] {0x30, 0}), null))
        .hasMessageContaining("openssl pkcs8 -topk8");
    assertThatThrownBy(
            () ->
                read(
                    "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES\n\n"
                        + "AAAA\n-----END RSA PRIVATE KEY-----\n",
                    null))
        .hasMessageContaining("legacy encrypted PEM key");
  }

  @Test
  void aFileWithoutAKeyHasNone() throws Exception {
    assertThat(read(pem("CERTIFICATE", new byte[] {1, 2, 3}), null)).isNull();
    assertThat(Pem.blocks(FILE, "no pem here".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(List.of());
  }
}
