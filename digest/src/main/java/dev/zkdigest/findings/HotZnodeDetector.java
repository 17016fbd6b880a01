package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.protocol.Op;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code hot_znode}: one raw path takes most of the reads, the writes or the bytes, or its writers
 * race (BADVERSION retries). Reads the digest's per-path table, so a path past the cap on paths
 * ({@code --max-paths}) is not judged.
 */
final class HotZnodeDetector implements Detector {
  static final String HOT_REMEDY =
      "Cache the value in the client behind a watch (CuratorCache) instead of reading it per"
          + " request; spread a hot counter or queue over several znodes; for writes, batch them"
          + " or move the data out of ZooKeeper.";

  static final String CONTENTION_REMEDY =
      "Writers race on one znode with conditional setData: serialise them (a lock or a single"
          + " writer), or split the data so each writer owns a znode.";

  private static final Set<Op> READS =
      EnumSet.of(
          Op.GET_DATA,
          Op.EXISTS,
          Op.GET_CHILDREN,
          Op.GET_CHILDREN2,
          Op.GET_ACL,
          Op.GET_ALL_CHILDREN_NUMBER);

  private static final Set<Op> WRITES =
      EnumSet.of(
          Op.CREATE,
          Op.CREATE2,
          Op.CREATE_CONTAINER,
          Op.CREATE_TTL,
          Op.SET_DATA,
          Op.DELETE,
          Op.SET_ACL);

  private static final class PathTotals {
    long reads;
    long writes;
    long bytes;
    long badVersions;
  }

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    Map<String, PathTotals> byPath = new TreeMap<>();
    long reads = 0;
    long writes = 0;
    long bytes = 0;
    for (Map.Entry<DigestSnapshot.PathKey, DigestSnapshot.PathStats> e : s.paths().entrySet()) {
      DigestSnapshot.PathStats st = e.getValue();
      Op op = e.getKey().op();
      long b = st.requestBytes() + st.responseBytes();
      bytes += b;
      boolean read = READS.contains(op);
      boolean write = WRITES.contains(op);
      if (read) {
        reads += st.requests();
      } else if (write) {
        writes += st.requests();
      }
      if (e.getKey().isOther()) {
        continue;
      }
      PathTotals p = byPath.computeIfAbsent(e.getKey().path(), k -> new PathTotals());
      p.bytes += b;
      p.badVersions += st.badVersions();
      if (read) {
        p.reads += st.requests();
      } else if (write) {
        p.writes += st.requests();
      }
    }
    List<Finding> out = new ArrayList<>();
    long first = s.firstNanos();
    long last = s.lastNanos();
    for (Map.Entry<String, PathTotals> e : byPath.entrySet()) {
      String path = e.getKey();
      PathTotals p = e.getValue();
      hot(out, t, path, "reads", p.reads, reads, first, last);
      hot(out, t, path, "writes", p.writes, writes, first, last);
      if (p.bytes >= t.hotRequests() * 1024
          && bytes > 0
          && (double) p.bytes / bytes >= t.hotShare()) {
        out.add(
            new Finding(
                Finding.Kind.HOT_ZNODE,
                Finding.Severity.INFO,
                path
                    + " carries "
                    + Detector.percent((double) p.bytes / bytes)
                    + " of all bytes ("
                    + Detector.bytes(p.bytes)
                    + ")",
                new Finding.Evidence(null, path, List.of(), List.of(), p.bytes, first, last, null),
                HOT_REMEDY));
      }
      if (p.badVersions >= t.contention()) {
        out.add(
            new Finding(
                Finding.Kind.HOT_ZNODE,
                Finding.Severity.WARNING,
                p.badVersions + " writes to " + path + " failed with BADVERSION: writers race",
                new Finding.Evidence(
                    null, path, List.of(), List.of(), p.badVersions, first, last, null),
                CONTENTION_REMEDY));
      }
    }
    out.sort(Finding.MOST_EVIDENCE_FIRST);
    return out;
  }

  private static void hot(
      List<Finding> out,
      Thresholds t,
      String path,
      String what,
      long n,
      long total,
      long first,
      long last) {
    if (n < t.hotRequests() || total == 0 || (double) n / total < t.hotShare()) {
      return;
    }
    out.add(
        new Finding(
            Finding.Kind.HOT_ZNODE,
            Finding.Severity.INFO,
            path
                + " takes "
                + Detector.percent((double) n / total)
                + " of all "
                + what
                + " ("
                + n
                + ")",
            new Finding.Evidence(null, path, List.of(), List.of(), n, first, last, null),
            HOT_REMEDY));
  }
}
