package dev.zkdigest.junit;

import dev.zkdigest.digest.Latency;
import java.time.Duration;

/**
 * An op's response times as the report gives them (request to reply, at the proxy), from its
 * histogram: values within 1%. All zero when the op was not answered.
 *
 * @param count replies timed
 */
public record LatencySummary(
    long count,
    Duration min,
    Duration p50,
    Duration p95,
    Duration p99,
    Duration p999,
    Duration max) {

  static LatencySummary of(Latency l) {
    return new LatencySummary(
        l.count(),
        micros(l.min()),
        micros(l.percentile(50)),
        micros(l.percentile(95)),
        micros(l.percentile(99)),
        micros(l.percentile(99.9)),
        micros(l.max()));
  }

  private static Duration micros(long us) {
    return Duration.ofNanos(us * 1_000);
  }
}
