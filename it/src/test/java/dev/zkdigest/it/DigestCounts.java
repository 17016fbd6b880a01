package dev.zkdigest.it;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.util.Map;
import java.util.TreeMap;

/** A digest's counts in the shape {@link Workload} keeps them, for comparison. */
final class DigestCounts {
  private DigestCounts() {}

  /** Requests by op name, leaving out pings, which clients send on their own schedule. */
  static Map<String, Long> requests(DigestSnapshot d) {
    Map<String, Long> m = new TreeMap<>();
    {
      d.ops()
          .forEach(
              (op, st) -> {
                if (op != Op.PING) {
                  m.put(op.zkName(), st.requests());
                }
              });
    }
    return m;
  }

  /** Errors by op name and error name, ops without errors left out. */
  static Map<String, Map<String, Long>> errors(DigestSnapshot d) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    {
      d.ops()
          .forEach(
              (op, st) -> {
                Map<String, Long> byCode = new TreeMap<>();
                st.errorsByCode().forEach((k, v) -> byCode.put(KeeperErrors.name(k), v));
                if (!byCode.isEmpty()) {
                  m.put(op.zkName(), byCode);
                }
              });
    }
    return m;
  }
}
