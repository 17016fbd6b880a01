package dev.zkdigest.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Finds who authenticates in a credential without reading the secret: the user of a digest {@code
 * user:password}, the {@code username} of a SASL DIGEST-MD5 response. Only the bytes of the name
 * become a string; a password or a Kerberos ticket never does.
 */
final class Credentials {
  /** Longest name kept: a longer one is more likely garbage than a user. */
  static final int MAX_NAME = 256;

  private static final byte[] USERNAME = "username=\"".getBytes(StandardCharsets.US_ASCII);

  /** Finds an identity in {@code len} bytes of {@code b} from {@code off}; null if none. */
  interface Scan {
    String find(byte[] b, int off, int len);
  }

  private Credentials() {}

  /** The user of digest's {@code user:password}: the bytes before the first colon. */
  static String digestUser(byte[] b, int off, int len) {
    for (int i = 0; i < len && i <= MAX_NAME; i++) {
      if (b[off + i] == ':') {
        return i == 0 ? null : new String(b, off, i, StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  /** DIGEST-MD5's client response ({@code username="bob",realm=...}): the quoted user name. */
  static String saslDigestUser(byte[] b, int off, int len) {
    int end = off + len;
    outer:
    for (int i = off; i + USERNAME.length <= end; i++) {
      for (int j = 0; j < USERNAME.length; j++) {
        if (b[i + j] != USERNAME[j]) {
          continue outer;
        }
      }
      // "username" must start the response or follow a comma: not "authzid" or a nonce's text.
      if (i > off && b[i - 1] != ',' && b[i - 1] != ' ') {
        continue;
      }
      int start = i + USERNAME.length;
      for (int k = start; k < end && k - start <= MAX_NAME; k++) {
        if (b[k] == '"') {
          return k == start ? null : new String(b, start, k - start, StandardCharsets.UTF_8);
        }
      }
      return null;
    }
    return null;
  }
}
