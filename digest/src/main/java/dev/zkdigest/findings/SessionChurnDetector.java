package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Usage;
import dev.zkdigest.protocol.KeeperErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code session_churn}, per client address: reconnect storms (connects per second), short-lived
 * connections, SESSIONEXPIRED and SESSIONMOVED, and idle connections that only ping. Lifetimes are
 * those of connections seen from open to close.
 */
final class SessionChurnDetector implements Detector {
  static final String CHURN_REMEDY =
      "Keep one ZooKeeper client (one session) per process for its whole life: a session costs"
          + " the ensemble a write to create and one to close; reconnect with backoff"
          + " (Curator's retry policies), never in a tight loop.";

  static final String EXPIRY_REMEDY =
      "Sessions expire when the client cannot reach the ensemble within the session timeout:"
          + " look for GC pauses, overloaded client hosts or network partitions, and raise the"
          + " timeout if they are expected; SESSIONMOVED means a client reconnected elsewhere"
          + " while an old request was in flight.";

  static final String IDLE_REMEDY =
      "Close clients that no longer do anything: each open session holds server memory and"
          + " pings every third of its timeout.";

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<String, Usage.Churn> e : s.usage().churn().entrySet()) {
      String client = e.getKey();
      Usage.Churn c = e.getValue();
      long closed = c.lifetimesMs().count();
      long shortLived = c.lifetimesMs().countAtOrBelow(t.shortLivedMs());
      if (shortLived >= t.churnConnections()
          && (double) shortLived / closed >= t.shortLivedShare()) {
        // connects per second over the span of this client's connects
        double seconds = Math.max(1e-3, (c.lastOpenNanos() - c.firstOpenNanos()) / 1e9);
        double rate = (c.opened() - 1) / seconds;
        out.add(
            finding(
                rate >= t.churnPerSecond() ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
                client
                    + " opened "
                    + c.opened()
                    + " connections ("
                    + String.format(java.util.Locale.ROOT, "%.1f", rate)
                    + " per second); "
                    + shortLived
                    + " of the "
                    + closed
                    + " closed lived "
                    + Detector.duration(t.shortLivedMs())
                    + " or less",
                client,
                shortLived,
                c,
                CHURN_REMEDY));
      }
      if (c.reconnects() >= t.churnConnections()) {
        out.add(
            finding(
                Finding.Severity.WARNING,
                client
                    + " reconnected existing sessions "
                    + c.reconnects()
                    + " times: connections lost and re-established",
                client,
                c.reconnects(),
                c,
                CHURN_REMEDY));
      }
      long idle = c.idleLifetimesMs().count() - c.idleLifetimesMs().countAtOrBelow(t.idleMs() - 1);
      if (idle >= t.idleConnections()) {
        out.add(
            finding(
                Finding.Severity.INFO,
                client
                    + ": "
                    + idle
                    + " connections only pinged for "
                    + Detector.duration(t.idleMs())
                    + " or more",
                client,
                idle,
                c,
                IDLE_REMEDY));
      }
    }
    for (Map.Entry<String, GroupStats> e : s.clientsByAddress().entrySet()) {
      GroupStats st = e.getValue();
      long expired = st.errors(KeeperErrors.SESSIONEXPIRED);
      long moved = st.errors(KeeperErrors.SESSIONMOVED);
      if (expired + moved >= t.sessionErrors()) {
        Usage.Churn c = s.usage().churn().get(e.getKey());
        out.add(
            finding(
                Finding.Severity.WARNING,
                e.getKey() + ": " + expired + " SESSIONEXPIRED and " + moved + " SESSIONMOVED",
                e.getKey(),
                expired + moved,
                c,
                EXPIRY_REMEDY));
      }
    }
    out.sort(Finding.MOST_EVIDENCE_FIRST);
    return out;
  }

  private static Finding finding(
      Finding.Severity severity,
      String summary,
      String client,
      long count,
      Usage.Churn c,
      String remedy) {
    return new Finding(
        Finding.Kind.SESSION_CHURN,
        severity,
        summary,
        new Finding.Evidence(
            null,
            null,
            List.of(client),
            List.of(),
            count,
            c == null ? 0 : c.firstOpenNanos(),
            c == null ? 0 : c.lastOpenNanos(),
            null),
        remedy);
  }
}
