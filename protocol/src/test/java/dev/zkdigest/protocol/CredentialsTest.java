package dev.zkdigest.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CredentialsTest {
  private static String digest(String credentials) {
    byte[] b = ("xx" + credentials).getBytes(StandardCharsets.UTF_8);
    return Credentials.digestUser(b, 2, b.length - 2);
  }

  private static String sasl(String token) {
    byte[] b = token.getBytes(StandardCharsets.UTF_8);
    return Credentials.saslDigestUser(b, 0, b.length);
  }

  @Test
  void theDigestUserIsWhatComesBeforeTheFirstColon() {
    assertThat(digest("alice:s3cr3t:with:colons")).isEqualTo("alice");
    assertThat(digest("no-colon")).isNull();
    assertThat(digest(":password-only")).isNull();
  }

  @Test
  void theSaslUserIsTheQuotedUsernameOfADigestMd5Response() {
    // as ZooKeeper's Java client sends it (DIGEST-MD5 client response)
    assertThat(
            sasl(
                "charset=utf-8,username=\"bob\",realm=\"zk-sasl-md5\",nonce=\"x\","
                    + "nc=00000001,cnonce=\"y\",digest-uri=\"zookeeper/zk-sasl-md5\","
                    + "maxbuf=65536,response=abc,qop=auth"))
        .isEqualTo("bob");
    // a challenge, a GSSAPI token, or a field that merely ends in "username" name no one
    assertThat(sasl("realm=\"zk-sasl-md5\",nonce=\"x\",qop=\"auth\"")).isNull();
    assertThat(sasl("\u0060\u0082binary")).isNull();
    assertThat(sasl("authzusername=\"mallory\"")).isNull();
  }
}
