package dev.zkdigest.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * The reasons read from exception chains as the engines leave them (the integration tests make the
 * real ones: TlsProxyIT), and what of them may reach a log line.
 */
class TlsFailureTest {
  private static SSLHandshakeException handshake(String message, Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(message);
    e.initCause(cause);
    return e;
  }

  @Test
  void findsTheCauseWhereverItSitsInTheChain() {
    assertThat(
            TlsFailure.classify(
                handshake(
                    "general",
                    new CertificateException("x", new CertificateExpiredException("NotAfter")))))
        .isEqualTo(TlsFailure.EXPIRED_CERTIFICATE);
    assertThat(TlsFailure.classify(new SslHandshakeTimeoutException("handshake timed out")))
        .isEqualTo(TlsFailure.TIMEOUT);
    assertThat(TlsFailure.classify(new ClosedChannelException())).isEqualTo(TlsFailure.CLOSED);
    assertThat(
            TlsFailure.classify(
                handshake(
                    "PKIX path building failed: unable to find valid certification path", null)))
        .isEqualTo(TlsFailure.UNTRUSTED_CERTIFICATE);
    assertThat(TlsFailure.classify(new SSLHandshakeException("Received fatal alert: unknown_ca")))
        .isEqualTo(TlsFailure.REJECTED_BY_PEER);
    assertThat(TlsFailure.classify(new IllegalStateException("?"))).isEqualTo(TlsFailure.UNKNOWN);
  }

  @Test
  void neverLogsWhatAPlainClientSent() {
    // Netty's message carries a hex dump of the bytes: a ZooKeeper handshake and its password.
    NotSslRecordException e = new NotSslRecordException("not an SSL/TLS record: 0000002c0000");
    assertThat(TlsFailure.classify(e)).isEqualTo(TlsFailure.NOT_TLS);
    assertThat(TlsFailure.detail(TlsFailure.NOT_TLS, e)).isEmpty();
  }

  @Test
  void detailIsTheInnermostMessageOnOneShortLine() {
    String long_ = "line one\nline two " + "x".repeat(500);
    String d =
        TlsFailure.detail(TlsFailure.UNKNOWN, handshake("outer", new RuntimeException(long_)));
    assertThat(d).startsWith("line one line two").doesNotContain("\n").hasSizeLessThan(210);
  }
}
