package dev.zkdigest.digest;

import dev.zkdigest.protocol.KeeperErrors;
import java.util.Arrays;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;

/**
 * The live counters of one group of requests while a {@link Digest} records into it: counts, errors
 * by code, sizes and a latency histogram (microseconds). A snapshot takes it over with {@link
 * #freeze}, after which it is never written again.
 *
 * <p>Threading: written by the digest's single writer only.
 */
final class Stats {
  private long requests;
  private long responses;
  private long errors;
  private long connections;
  private long requestBytes;
  private long responseBytes;
  private long latencySumUs;
  // Errors by code as two small arrays, made at the first error: a group sees a few codes at most,
  // and there may be tens of thousands of groups.
  private int[] errorCodes;
  private long[] errorCounts;
  private int errorKinds;
  private final AbstractHistogram latencyUs;

  /** A class's first failed request and slowest request (null until there is one). */
  private Usage.Sample firstError;

  private Usage.Sample slowest;
  private long slowestUs = -1;

  /**
   * Where this group's counts go since it was evicted from its capped table (its table's {@code
   * {other}} group), for callers that kept a reference to it; null while it is kept.
   */
  Stats evictedTo;

  Stats(AbstractHistogram latencyUs) {
    this.latencyUs = latencyUs;
  }

  /** This group, or the group its counts go to since it was evicted. */
  Stats live() {
    Stats s = this;
    while (s.evictedTo != null) {
      s = s.evictedTo;
    }
    return s;
  }

  void request(int bytes) {
    requests++;
    requestBytes += bytes;
  }

  void reply(int err, long latencyUs, int bytes) {
    responses++;
    responseBytes += bytes;
    if (err != KeeperErrors.OK) {
      errors++;
      countError(err, 1);
    }
    long v = Math.min(Math.max(0, latencyUs), Latency.MAX_US);
    latencySumUs += v;
    this.latencyUs.recordValue(v);
  }

  /** Remembers the request as the class's first error or slowest sample if it is one. */
  void sample(int err, long latencyUs, long requestNanos, String client, long session, int xid) {
    boolean failed = err != KeeperErrors.OK;
    boolean earlierError = failed && (firstError == null || requestNanos <= firstError.timeNanos());
    if (latencyUs < slowestUs && !earlierError) {
      return;
    }
    Usage.Sample s = new Usage.Sample(requestNanos, client, session, xid);
    if (latencyUs > slowestUs
        || (latencyUs == slowestUs && Usage.Sample.ORDER.compare(s, slowest) < 0)) {
      slowestUs = latencyUs;
      slowest = s;
    }
    if (failed) {
      firstError = Usage.Sample.first(firstError, s);
    }
  }

  /** The samples, or null if none were taken. */
  Usage.ClassSamples samples() {
    return slowest == null && firstError == null
        ? null
        : new Usage.ClassSamples(firstError, slowest, Math.max(0, slowestUs));
  }

  void connection() {
    connections++;
  }

  long requests() {
    return requests;
  }

  boolean isEmpty() {
    return requests == 0 && responses == 0 && connections == 0;
  }

  /** Adds {@code o} into this one (an evicted group into its table's {@code {other}}). */
  void absorb(Stats o) {
    requests += o.requests;
    responses += o.responses;
    errors += o.errors;
    connections += o.connections;
    requestBytes += o.requestBytes;
    responseBytes += o.responseBytes;
    latencySumUs += o.latencySumUs;
    for (int i = 0; i < o.errorKinds; i++) {
      countError(o.errorCodes[i], o.errorCounts[i]);
    }
    latencyUs.add(o.latencyUs);
    Usage.ClassSamples mine = samples();
    Usage.ClassSamples theirs = o.samples();
    if (theirs != null) {
      Usage.ClassSamples both = mine == null ? theirs : mine.plus(theirs);
      firstError = both.firstError();
      slowest = both.slowest();
      slowestUs = both.slowestUs();
    }
  }

  /** The immutable view a snapshot keeps; this group must not be written afterwards. */
  GroupStats freeze() {
    TreeMap<Integer, Long> errs = new TreeMap<>();
    for (int i = 0; i < errorKinds; i++) {
      errs.put(errorCodes[i], errorCounts[i]);
    }
    return new GroupStats(
        requests,
        responses,
        errors,
        connections,
        requestBytes,
        responseBytes,
        latencySumUs,
        errs,
        new Latency(latencyUs));
  }

  private void countError(int code, long n) {
    for (int i = 0; i < errorKinds; i++) {
      if (errorCodes[i] == code) {
        errorCounts[i] += n;
        return;
      }
    }
    if (errorCodes == null) {
      errorCodes = new int[4];
      errorCounts = new long[4];
    } else if (errorKinds == errorCodes.length) {
      errorCodes = Arrays.copyOf(errorCodes, errorKinds * 2);
      errorCounts = Arrays.copyOf(errorCounts, errorKinds * 2);
    }
    errorCodes[errorKinds] = code;
    errorCounts[errorKinds] = n;
    errorKinds++;
  }
}
