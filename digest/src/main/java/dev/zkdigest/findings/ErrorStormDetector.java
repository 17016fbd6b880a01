package dev.zkdigest.findings;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Usage;
import dev.zkdigest.protocol.KeeperErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code error_storm}: a class whose replies mostly fail, named by its commonest error with the
 * usual cause (NODEEXISTS create loops, NONODE reads of a missing path, NOAUTH).
 */
final class ErrorStormDetector implements Detector {
  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<ClassKey, GroupStats> e : s.classes().entrySet()) {
      GroupStats st = e.getValue();
      if (st.errors() < t.errorCount()
          || st.responses() == 0
          || (double) st.errors() / st.responses() < t.errorRate()) {
        continue;
      }
      int code = 0;
      long most = -1;
      for (Map.Entry<Integer, Long> c : st.errorsByCode().entrySet()) {
        if (c.getValue() > most) {
          most = c.getValue();
          code = c.getKey();
        }
      }
      Usage.ClassSamples samples = s.usage().samples().get(e.getKey());
      Usage.Sample ex = samples == null ? null : samples.firstError();
      List<String> clients = new ArrayList<>();
      for (Map.Entry<String, Long> c : s.topClients(e.getKey())) {
        if (clients.size() < Usage.CLIENTS && !c.getKey().equals("{other}")) {
          clients.add(c.getKey());
        }
      }
      double rate = (double) st.errors() / st.responses();
      out.add(
          new Finding(
              Finding.Kind.ERROR_STORM,
              rate >= 0.9 ? Finding.Severity.CRITICAL : Finding.Severity.WARNING,
              e.getKey()
                  + ": "
                  + Detector.percent(rate)
                  + " of "
                  + st.responses()
                  + " replies failed, mostly "
                  + KeeperErrors.name(code)
                  + " ("
                  + most
                  + ")",
              new Finding.Evidence(
                  e.getKey().toString(),
                  null,
                  clients,
                  ex == null ? List.of() : List.of(Usage.sessionName(ex.session())),
                  st.errors(),
                  ex == null ? 0 : ex.timeNanos(),
                  s.lastNanos(),
                  Detector.example(ex)),
              remedy(code)));
    }
    out.sort(Finding.MOST_EVIDENCE_FIRST);
    return out;
  }

  static String remedy(int code) {
    return switch (code) {
      case KeeperErrors.NODEEXISTS ->
          "A create loop: check with exists (or catch NodeExists once) instead of creating the"
              + " same znode again and again; for locks and queues use sequential znodes.";
      case KeeperErrors.NONODE ->
          "Reads of a znode that is not there: create it at deployment, or wait for it with"
              + " exists and a watch instead of retrying the read.";
      case KeeperErrors.NOAUTH ->
          "Requests without the rights the ACL asks: add the client's auth (addAuthInfo) or fix"
              + " the znode's ACL.";
      case KeeperErrors.BADVERSION ->
          "Conditional writes losing races: serialise the writers or re-read before retrying.";
      default ->
          "Look up the error code in ZooKeeper's KeeperException.Code and the client's logs; a"
              + " class that always fails is a bug or a misconfiguration.";
    };
  }
}
