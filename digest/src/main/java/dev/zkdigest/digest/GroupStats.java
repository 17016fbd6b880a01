package dev.zkdigest.digest;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a snapshot holds for one group of requests (an opcode, a class, a client, a session):
 * counts, errors by ZooKeeper code, bytes and the latency distribution. Immutable.
 *
 * @param errorsByCode errors by ZooKeeper error code, ordered by code
 * @param latencySumUs total response time of the answered requests
 */
public record GroupStats(
    long requests,
    long responses,
    long errors,
    long connections,
    long requestBytes,
    long responseBytes,
    long latencySumUs,
    SortedMap<Integer, Long> errorsByCode,
    Latency latency) {

  public static final GroupStats EMPTY =
      new GroupStats(0, 0, 0, 0, 0, 0, 0, new TreeMap<>(), Latency.EMPTY);

  public GroupStats {
    errorsByCode = Collections.unmodifiableSortedMap(new TreeMap<>(errorsByCode));
  }

  public GroupStats merge(GroupStats o) {
    if (o == EMPTY) {
      return this;
    }
    if (this == EMPTY) {
      return o;
    }
    SortedMap<Integer, Long> errs = new TreeMap<>(errorsByCode);
    o.errorsByCode.forEach((k, v) -> errs.merge(k, v, Long::sum));
    return new GroupStats(
        requests + o.requests,
        responses + o.responses,
        errors + o.errors,
        connections + o.connections,
        requestBytes + o.requestBytes,
        responseBytes + o.responseBytes,
        latencySumUs + o.latencySumUs,
        errs,
        latency.merge(o.latency));
  }

  /** The sum of many, with one new histogram at most. */
  public static GroupStats sum(Iterable<GroupStats> all) {
    long requests = 0;
    long responses = 0;
    long errors = 0;
    long connections = 0;
    long requestBytes = 0;
    long responseBytes = 0;
    long latencySumUs = 0;
    SortedMap<Integer, Long> errs = new TreeMap<>();
    java.util.List<Latency> latencies = new java.util.ArrayList<>();
    int n = 0;
    GroupStats only = EMPTY;
    for (GroupStats g : all) {
      if (g == EMPTY) {
        continue;
      }
      n++;
      only = g;
      requests += g.requests;
      responses += g.responses;
      errors += g.errors;
      connections += g.connections;
      requestBytes += g.requestBytes;
      responseBytes += g.responseBytes;
      latencySumUs += g.latencySumUs;
      g.errorsByCode.forEach((k, v) -> errs.merge(k, v, Long::sum));
      latencies.add(g.latency);
    }
    if (n <= 1) {
      return only;
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
        Latency.sum(latencies));
  }

  /** Errors of one code. */
  public long errors(int code) {
    return errorsByCode.getOrDefault(code, 0L);
  }

  /** Errors by code name, for reports. */
  public Map<String, Long> errorsByName() {
    Map<String, Long> m = new java.util.LinkedHashMap<>();
    errorsByCode.forEach((k, v) -> m.put(dev.zkdigest.protocol.KeeperErrors.name(k), v));
    return m;
  }
}
