package dev.zkdigest.proxy;

import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Why a TLS handshake failed, as counted ({@code proxy_tls_failed_<name>}) and logged. Read from
 * the exception chain the engine left: the JDK's engine and OpenSSL word the same failure
 * differently, and the trust manager's own exception, when there is one, says most.
 */
enum TlsFailure {
  /** Bytes that are not TLS: a plain client on a TLS port, or a plain server on a TLS route. */
  NOT_TLS("not_tls", "the peer does not speak TLS (a plain client on a TLS port?)"),
  /** The peer's certificate does not chain to a trusted CA (another CA, self-signed). */
  UNTRUSTED_CERTIFICATE("untrusted_certificate", "its certificate is not from a trusted CA"),
  EXPIRED_CERTIFICATE("expired_certificate", "its certificate has expired or is not yet valid"),
  /** A client that sent no certificate where one is required. */
  NO_CERTIFICATE("no_certificate", "it sent no certificate, and one is required"),
  /** The upstream's certificate does not name the host the route connects to. */
  HOSTNAME_MISMATCH("hostname_mismatch", "its certificate does not name the host"),
  /** The peer refused the handshake with an alert: it did not accept our certificate, say. */
  REJECTED_BY_PEER("rejected_by_peer", "the peer refused the handshake"),
  NO_COMMON_PROTOCOL("no_common_protocol", "no TLS version or cipher suite in common"),
  TIMEOUT("timeout", "the handshake did not complete in time"),
  /** The peer closed the connection during the handshake. */
  CLOSED("closed", "the peer closed the connection during the handshake"),
  UNKNOWN("unknown", "an unexpected error");

  /** The name in counters and logs. */
  final String label;

  /** What it means, for the log line. */
  final String meaning;

  TlsFailure(String label, String meaning) {
    this.label = label;
    this.meaning = meaning;
  }

  /** Whether a failure of this kind is worth a WARN line (a port scan's closes are not). */
  boolean worthWarning() {
    return this != CLOSED && this != TIMEOUT;
  }

  static TlsFailure classify(Throwable failure) {
    // Specific causes first, wherever they sit in the chain.
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NotSslRecordException) {
        return NOT_TLS;
      }
      if (t instanceof SslHandshakeTimeoutException) {
        return TIMEOUT;
      }
      if (t instanceof CertificateExpiredException
          || t instanceof CertificateNotYetValidException) {
        return EXPIRED_CERTIFICATE;
      }
      if (t instanceof CertPathValidatorException v
          && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
              || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
        return EXPIRED_CERTIFICATE;
      }
      if (t instanceof CertPathBuilderException) {
        return UNTRUSTED_CERTIFICATE;
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("no subject alternative")
          || m.contains("no name matching")
          || m.contains("doesn't match any of the subject alternative names")
          || m.contains("hostname")) {
        return HOSTNAME_MISMATCH;
      }
      if (m.contains("unable to find valid certification path")
          || m.contains("path building failed")
          || m.contains("no trusted certificate")) {
        return UNTRUSTED_CERTIFICATE;
      }
      if (m.contains("empty client certificate chain")
          || m.contains("peer_did_not_return_a_certificate")
          || m.contains("empty server certificate chain")) {
        return NO_CERTIFICATE;
      }
      if (m.contains("received fatal alert") || m.contains("alert_") || m.contains("_alert")) {
        return m.contains("protocol_version") || m.contains("handshake_failure")
            ? NO_COMMON_PROTOCOL
            : REJECTED_BY_PEER;
      }
      if (m.contains("no cipher suites in common")
          || m.contains("no_shared_cipher")
          || m.contains("unsupported_protocol")
          || m.contains("no appropriate protocol")
          || m.contains("protocol is disabled")) {
        return NO_COMMON_PROTOCOL;
      }
      if (m.contains("wrong_version_number")
          || m.contains("http_request")
          || m.contains("https_proxy_request")
          || m.contains("unsupported or unrecognized ssl message")
          || m.contains("not an ssl/tls record")) {
        return NOT_TLS;
      }
      if (t instanceof ClosedChannelException
          || m.contains("connection reset")
          || m.contains("closed")
          || m.contains("end of stream")) {
        return CLOSED;
      }
    }
    return UNKNOWN;
  }

  /**
   * The innermost message of the chain, on one line and short, for the log: never for {@link
   * #NOT_TLS}, whose exception carries a hex dump of what the peer sent (a client's handshake, with
   * its session password).
   */
  static String detail(TlsFailure kind, Throwable failure) {
    if (kind == NOT_TLS || failure == null) {
      return "";
    }
    String last = null;
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        last = t.getMessage();
      }
    }
    if (last == null) {
      return failure.getClass().getSimpleName();
    }
    last = last.replaceAll("\\s+", " ").trim();
    return last.length() > 200 ? last.substring(0, 200) + "..." : last;
  }
}
