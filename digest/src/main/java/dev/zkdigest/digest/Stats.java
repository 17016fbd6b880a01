package dev.zkdigest.digest;

import dev.zkdigest.protocol.KeeperErrors;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Counts, errors by code, sizes and a latency histogram (microseconds) for one group of requests:
 * an opcode, a class, a client or a session. Not thread-safe; {@link Digest} guards it.
 */
public final class Stats {
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
  private boolean overflow;

  /** For classes and clients: their ids in the digest's per-class client counts, or -1. */
  int classId = -1;

  int clientId = -1;

  private Stats(AbstractHistogram latencyUs) {
    this.latencyUs = latencyUs;
  }

  /** An empty group, to merge others into. */
  public static Stats empty() {
    return dense();
  }

  /** Full-resolution histogram, for the few per-opcode groups. */
  static Stats dense() {
    return new Stats(new Histogram(3));
  }

  /**
   * Two significant digits (±1%) in a flat array that grows with the largest value: a few KiB, and
   * the cheapest to record into. For the first classes, which take nearly all the traffic.
   */
  static Stats fine() {
    return new Stats(new Histogram(2));
  }

  /**
   * One significant digit (±10%), int counts, growing with the largest value: a few hundred bytes
   * for latencies up to a second, and cheaper to record into than a packed histogram. For clients
   * and sessions, which may be counted by ten thousand, ranked more than read.
   */
  static Stats coarse() {
    return new Stats(new IntCountsHistogram(1));
  }

  /** Memory-frugal histogram, for groups that may be counted in thousands. */
  static Stats packed() {
    return new Stats(new PackedHistogram(2));
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
    long v = Math.min(Math.max(0, latencyUs), 3_600_000_000L);
    latencySumUs += v;
    this.latencyUs.recordValue(v);
  }

  /** This group collects what no longer fit under the cap on distinct keys. */
  void markOverflow() {
    overflow = true;
  }

  boolean isOverflow() {
    return overflow;
  }

  void connection() {
    connections++;
  }

  public void merge(Stats o) {
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
  }

  public long requests() {
    return requests;
  }

  public long responses() {
    return responses;
  }

  public long errors() {
    return errors;
  }

  public long connections() {
    return connections;
  }

  public long requestBytes() {
    return requestBytes;
  }

  public long responseBytes() {
    return responseBytes;
  }

  /** Total response time of the answered requests, in microseconds. */
  public long latencySumUs() {
    return latencySumUs;
  }

  /** Errors by ZooKeeper error code, ordered by code (a new map). */
  public Map<Integer, Long> errorsByCode() {
    Map<Integer, Long> m = new TreeMap<>();
    for (int i = 0; i < errorKinds; i++) {
      m.put(errorCodes[i], errorCounts[i]);
    }
    return m;
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
      errorCodes = java.util.Arrays.copyOf(errorCodes, errorKinds * 2);
      errorCounts = java.util.Arrays.copyOf(errorCounts, errorKinds * 2);
    }
    errorCodes[errorKinds] = code;
    errorCounts[errorKinds] = n;
    errorKinds++;
  }

  public AbstractHistogram latencyUs() {
    return latencyUs;
  }
}
