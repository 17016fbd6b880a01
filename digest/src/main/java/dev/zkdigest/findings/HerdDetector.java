package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code herd}: one watch event fans out to many sessions that all read the path again within a
 * second. Re-reads are grouped by event type, path and second; a herd that straddles a second
 * boundary is measured over two adjacent seconds.
 */
final class HerdDetector implements Detector {
  static final String REMEDY =
      "Watch only what you wait for: in lock and election recipes each contender watches its"
          + " predecessor (exists on the next lower sequence node), not the parent's children"
          + " (Curator's InterProcessMutex and LeaderLatch do this); for shared config, fewer"
          + " watchers or a cache (CuratorCache) behind one watch.";

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    // per (type, path): each second's group, in time order
    Map<String, TreeMap<Long, Usage.Herd>> byPath = new TreeMap<>();
    s.usage()
        .herds()
        .forEach(
            (k, h) ->
                byPath
                    .computeIfAbsent(k.type() + " " + k.path(), x -> new TreeMap<>())
                    .put(k.slotNanos(), h));
    List<Finding> out = new ArrayList<>();
    byPath.forEach(
        (typePath, slots) -> {
          long herds = 0;
          long largest = 0;
          Usage.Herd all = null;
          Long previous = null;
          for (Map.Entry<Long, Usage.Herd> e : slots.entrySet()) {
            Usage.Herd h = e.getValue();
            long size = h.sessions().count();
            Usage.Herd before = previous == null ? null : slots.get(previous);
            if (before != null && e.getKey() - previous == Usage.HERD_SLOT_NANOS) {
              // one herd cut in two by a second boundary
              long both = new DigestSnapshot.Sketch(union(before, h), false).count();
              size = Math.max(size, both);
            }
            if (size >= t.herdSessions()) {
              herds++;
              largest = Math.max(largest, size);
              all = all == null ? h : plus(all, h);
            }
            previous = e.getKey();
          }
          if (all == null) {
            return;
          }
          int space = typePath.indexOf(' ');
          String type = typePath.substring(0, space);
          String path = typePath.substring(space + 1);
          String summary =
              largest
                  + " sessions re-read "
                  + path
                  + " within a second of one "
                  + type
                  + (herds > 1 ? " (" + herds + " times)" : "");
          out.add(
              new Finding(
                  Finding.Kind.HERD,
                  largest >= 10L * t.herdSessions()
                      ? Finding.Severity.CRITICAL
                      : Finding.Severity.WARNING,
                  summary,
                  new Finding.Evidence(
                      null,
                      path,
                      all.clients().names(),
                      all.sessionIds().names(),
                      all.rereads(),
                      all.firstNanos(),
                      all.lastNanos(),
                      Detector.example(all.example())),
                  REMEDY));
        });
    out.sort(Finding.MOST_EVIDENCE_FIRST);
    return out;
  }

  private static long[] union(Usage.Herd a, Usage.Herd b) {
    return java.util.stream.LongStream.concat(
            java.util.Arrays.stream(a.sessions().hashes()),
            java.util.Arrays.stream(b.sessions().hashes()))
        .sorted()
        .distinct()
        .toArray();
  }

  /** Two groups' evidence together (counts added, spans joined). */
  private static Usage.Herd plus(Usage.Herd a, Usage.Herd b) {
    List<String> clients = new ArrayList<>(a.clients().names());
    b.clients().names().stream().filter(c -> !clients.contains(c)).forEach(clients::add);
    List<String> sessions = new ArrayList<>(a.sessionIds().names());
    b.sessionIds().names().stream().filter(c -> !sessions.contains(c)).forEach(sessions::add);
    return new Usage.Herd(
        a.rereads() + b.rereads(),
        a.sessions(),
        new Usage.Few(sessions.subList(0, Math.min(Usage.CLIENTS, sessions.size()))),
        new Usage.Few(clients.subList(0, Math.min(Usage.CLIENTS, clients.size()))),
        Math.min(a.firstNanos(), b.firstNanos()),
        Math.max(a.lastNanos(), b.lastNanos()),
        a.example());
  }
}
