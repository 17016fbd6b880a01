package dev.zkdigest.proxy;

import dev.zkdigest.protocol.TlsInfo;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the proxy keeps of a finished TLS handshake: the session's protocol, cipher and client
 * subject when it succeeded; a count by reason and one log line, never a stack trace, when it
 * failed.
 */
final class TlsHandshakes {
  private static final Logger LOG = LoggerFactory.getLogger(TlsHandshakes.class);

  private TlsHandshakes() {}

  static TlsInfo info(SslHandler handler) {
    SSLSession s = handler.engine().getSession();
    String subject = null;
    try {
      Certificate[] peer = s.getPeerCertificates();
      if (peer.length > 0 && peer[0] instanceof X509Certificate x) {
        subject = x.getSubjectX500Principal().getName();
      }
    } catch (SSLPeerUnverifiedException e) {
      // no client certificate asked for
    }
    return new TlsInfo(s.getProtocol(), s.getCipherSuite(), subject);
  }

  /** A client's handshake on {@code listen} failed: counted and logged, and the caller closes. */
  static void clientFailed(ProxyStats stats, String client, String listen, Throwable cause) {
    TlsFailure why = TlsFailure.classify(cause);
    stats.tlsFailed(why);
    log(why, cause, "TLS handshake with client {} on {} failed: {} ({}{})", client, listen);
  }

  /** The handshake with {@code upstream} for {@code client} failed. */
  static void upstreamFailed(ProxyStats stats, String upstream, String client, Throwable cause) {
    TlsFailure why = TlsFailure.classify(cause);
    stats.upstreamTlsFailed(why);
    log(
        why,
        cause,
        "TLS handshake with upstream {} for client {} failed: {} ({}{})",
        upstream,
        client);
  }

  private static void log(TlsFailure why, Throwable cause, String format, String a, String b) {
    if (why.worthWarning() ? LOG.isWarnEnabled() : LOG.isDebugEnabled()) {
      String detail = TlsFailure.detail(why, cause);
      Object[] args = {a, b, why.label, why.meaning, detail.isEmpty() ? "" : ": " + detail};
      if (why.worthWarning()) {
        LOG.warn(format, args);
      } else {
        LOG.debug(format, args);
      }
    }
  }
}
