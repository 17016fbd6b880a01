package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.digest.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code large_payload}: requests or replies of at least {@link Thresholds#largeBytes} (shown as a
 * share of {@code jute.maxbuffer}), and getChildren replies of at least {@link
 * Thresholds#largeChildren} children. Sizes are counted from histograms of two significant digits,
 * so a threshold within 1% of a frame's size may count it either way.
 */
final class LargePayloadDetector implements Detector {
  static final String REMEDY =
      "Keep znodes small (ZooKeeper holds them all in memory and sends them whole): store large"
          + " values elsewhere and keep a reference in ZooKeeper; split big child lists into"
          + " buckets of children.";

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    List<Finding> out = new ArrayList<>();
    for (Map.Entry<Usage.LargeKey, Usage.Large> e : s.usage().large().entrySet()) {
      Usage.Large l = e.getValue();
      String opPath = e.getKey().op().zkName() + " " + e.getKey().path();
      long requests = atLeast(l.requestBytes(), t.largeBytes());
      long replies = atLeast(l.replyBytes(), t.largeBytes());
      if (requests + replies > 0) {
        long largest = Math.max(l.requestBytes().max(), l.replyBytes().max());
        String what =
            requests > 0 && replies > 0
                ? requests + " requests and " + replies + " replies"
                : requests > 0 ? requests + " requests" : replies + " replies";
        out.add(
            finding(
                largest >= t.juteMaxBuffer() / 2
                    ? Finding.Severity.CRITICAL
                    : Finding.Severity.WARNING,
                what
                    + " of "
                    + opPath
                    + " at least "
                    + Detector.bytes(t.largeBytes())
                    + ", the largest "
                    + Detector.bytes(largest)
                    + " ("
                    + Detector.percent((double) largest / t.juteMaxBuffer())
                    + " of jute.maxbuffer)",
                e.getKey(),
                l,
                requests + replies));
      }
      long lists = atLeast(l.children(), t.largeChildren());
      if (lists > 0) {
        out.add(
            finding(
                Finding.Severity.WARNING,
                lists
                    + " replies to "
                    + opPath
                    + " list at least "
                    + t.largeChildren()
                    + " children, the longest "
                    + l.children().max(),
                e.getKey(),
                l,
                lists));
      }
    }
    out.sort((a, b) -> Long.compare(b.evidence().count(), a.evidence().count()));
    return out;
  }

  private static long atLeast(Latency l, long threshold) {
    return l.count() - l.countAtOrBelow(threshold - 1);
  }

  private static Finding finding(
      Finding.Severity severity, String summary, Usage.LargeKey key, Usage.Large l, long count) {
    return new Finding(
        Finding.Kind.LARGE_PAYLOAD,
        severity,
        summary,
        new Finding.Evidence(
            null,
            key.path(),
            l.clients().names(),
            l.largest() == null ? List.of() : List.of(Usage.sessionName(l.largest().session())),
            count,
            l.largest() == null ? 0 : l.largest().timeNanos(),
            l.largest() == null ? 0 : l.largest().timeNanos(),
            Detector.example(l.largest())),
        REMEDY);
  }
}
