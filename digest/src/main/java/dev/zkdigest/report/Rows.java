package dev.zkdigest.report;

import dev.zkdigest.digest.GroupStats;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order the reports list per-client, per-identity and per-session rows in: busiest first, then
 * by key. A total order, so a report does not depend on the map it was read from (which differs
 * with the thread count and with merging).
 */
final class Rows {
  private Rows() {}

  static <K extends Comparable<K>> List<Map.Entry<K, GroupStats>> busiestFirst(
      Map<K, GroupStats> rows) {
    List<Map.Entry<K, GroupStats>> l = new ArrayList<>(rows.entrySet());
    l.sort(
        Comparator.comparingLong((Map.Entry<K, GroupStats> e) -> e.getValue().requests())
            .reversed()
            .thenComparing(Map.Entry::getKey));
    return l;
  }
}
