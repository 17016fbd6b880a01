package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Latency;
import dev.zkdigest.digest.PathPatterns;
import dev.zkdigest.digest.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code large_payload}: requests or replies of at least {@link Thresholds#largeBytes} (shown as a
 * share of {@code jute.maxbuffer}), and getChildren replies of at least {@link
 * Thresholds#largeChildren} children; one finding per class (op and path pattern), naming the path
 * of the largest. Sizes are counted from histograms of two significant digits, so a threshold
 * within 1% of a frame's size may count it either way.
 */
final class LargePayloadDetector implements Detector {
  static final String REMEDY =
      "Keep znodes small (ZooKeeper holds them all in memory and sends them whole): store large"
          + " values elsewhere and keep a reference in ZooKeeper; split big child lists into"
          + " buckets of children.";

  /** What one class's large frames add up to. */
  private static final class Sum {
    long requests;
    long replies;
    long lists;
    long largestBytes;
    long longestList;
    String path;
    Usage.Large largest;
    final List<String> clients = new ArrayList<>();
  }

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    Map<String, Sum> byClass = new TreeMap<>();
    for (Map.Entry<Usage.LargeKey, Usage.Large> e : s.usage().large().entrySet()) {
      Usage.Large l = e.getValue();
      long requests = atLeast(l.requestBytes(), t.largeBytes());
      long replies = atLeast(l.replyBytes(), t.largeBytes());
      long lists = atLeast(l.children(), t.largeChildren());
      if (requests + replies + lists == 0) {
        continue;
      }
      String cls = e.getKey().op().zkName() + " " + PathPatterns.of(e.getKey().path());
      Sum sum = byClass.computeIfAbsent(cls, k -> new Sum());
      sum.requests += requests;
      sum.replies += replies;
      sum.lists += lists;
      sum.longestList = Math.max(sum.longestList, l.children().max());
      long biggest = Math.max(l.requestBytes().max(), l.replyBytes().max());
      if (sum.largest == null || biggest > sum.largestBytes) {
        sum.largestBytes = biggest;
        sum.largest = l;
        sum.path = e.getKey().path();
      }
      for (String c : l.clients().names()) {
        if (sum.clients.size() < Usage.CLIENTS && !sum.clients.contains(c)) {
          sum.clients.add(c);
        }
      }
    }
    List<Finding> out = new ArrayList<>();
    byClass.forEach(
        (cls, sum) -> {
          String where = cls + (cls.endsWith(" " + sum.path) ? "" : " (e.g. " + sum.path + ")");
          if (sum.requests + sum.replies > 0) {
            String what =
                sum.requests > 0 && sum.replies > 0
                    ? sum.requests + " requests and " + sum.replies + " replies"
                    : sum.requests > 0 ? sum.requests + " requests" : sum.replies + " replies";
            out.add(
                finding(
                    sum.largestBytes >= t.juteMaxBuffer() / 2
                        ? Finding.Severity.CRITICAL
                        : Finding.Severity.WARNING,
                    what
                        + " of "
                        + where
                        + " at least "
                        + Detector.bytes(t.largeBytes())
                        + ", the largest "
                        + Detector.bytes(sum.largestBytes)
                        + " ("
                        + Detector.percent((double) sum.largestBytes / t.juteMaxBuffer())
                        + " of jute.maxbuffer)",
                    cls,
                    sum,
                    sum.requests + sum.replies));
          }
          if (sum.lists > 0) {
            out.add(
                finding(
                    Finding.Severity.WARNING,
                    sum.lists
                        + " replies to "
                        + where
                        + " list at least "
                        + t.largeChildren()
                        + " children, the longest "
                        + sum.longestList,
                    cls,
                    sum,
                    sum.lists));
          }
        });
    out.sort(Finding.MOST_EVIDENCE_FIRST);
    return out;
  }

  private static long atLeast(Latency l, long threshold) {
    return l.count() - l.countAtOrBelow(threshold - 1);
  }

  private static Finding finding(
      Finding.Severity severity, String summary, String cls, Sum sum, long count) {
    Usage.Sample x = sum.largest.largest();
    return new Finding(
        Finding.Kind.LARGE_PAYLOAD,
        severity,
        summary,
        new Finding.Evidence(
            cls,
            sum.path,
            sum.clients,
            x == null ? List.of() : List.of(Usage.sessionName(x.session())),
            count,
            x == null ? 0 : x.timeNanos(),
            x == null ? 0 : x.timeNanos(),
            Detector.example(x)),
        REMEDY);
  }
}
