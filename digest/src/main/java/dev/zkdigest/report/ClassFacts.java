package dev.zkdigest.report;

import dev.zkdigest.digest.ClassKey;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.GroupStats;
import dev.zkdigest.digest.Usage;

/**
 * What pt-query-digest shows per class beyond counts: its rate over the whole run, its concurrency
 * (response time per second of the run: how many requests were in flight on average), its slowest
 * request, and how many replies were slower than {@code --slow} (to the latency histogram's
 * precision, 1%).
 *
 * @param slowest null for a row that is not a class, or a class with no reply
 */
record ClassFacts(double qps, double concurrency, Usage.Sample slowest, long slowestUs, long slow) {

  static ClassFacts of(DigestSnapshot s, ClassKey cls, GroupStats st, long slowUs) {
    double seconds = Math.max(0, s.lastNanos() - s.firstNanos()) / 1e9;
    double qps = seconds > 0 ? st.requests() / seconds : 0;
    double concurrency = seconds > 0 ? st.latencySumUs() / 1e6 / seconds : 0;
    Usage.ClassSamples samples = cls == null ? null : s.usage().samples().get(cls);
    long slow =
        slowUs > 0 && st.latency().count() > 0
            ? st.latency().count() - st.latency().countAtOrBelow(slowUs - 1)
            : 0;
    return new ClassFacts(
        qps,
        concurrency,
        samples == null ? null : samples.slowest(),
        samples == null ? 0 : samples.slowestUs(),
        slow);
  }
}
