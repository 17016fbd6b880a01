package dev.zkdigest.digest;

import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.WatchEvents;
import java.util.Arrays;

/**
 * Watch events by type, and by type and path pattern ({@code NodeDataChanged /app/config/{n}}): at
 * most {@code capacity} patterns, those of smallest hash ({@link BottomK}); the others count under
 * {@code {other}} of their type. Counting an event folds its path into a reused buffer and
 * allocates nothing unless the pattern is new.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class EventTable {
  /** Event types known to ZooKeeper 3.9 ({@code Watcher.Event.EventType}), then one for others. */
  private static final int FIRST_TYPE = -1;

  private static final int LAST_TYPE = 7;
  private static final int UNKNOWN = LAST_TYPE - FIRST_TYPE + 1;

  private final PathPatterns.Folder folder = new PathPatterns.Folder();
  private final BottomK ids;
  private final long[] byType = new long[UNKNOWN + 1];
  private final long[] otherByType = new long[UNKNOWN + 1];
  private int[] types = new int[64];
  private String[] patterns = new String[64];
  private long[] counts = new long[64];

  EventTable(int capacity) {
    ids = new BottomK(capacity);
  }

  void add(WatchEvent e) {
    int t = e.type() >= FIRST_TYPE && e.type() <= LAST_TYPE ? e.type() - FIRST_TYPE : UNKNOWN;
    byType[t]++;
    long h = folder.fold(e.path()).hash64(t);
    int id = ids.find(h);
    if (id >= 0) {
      if (types[id] == t && folder.sameAs(patterns[id])) {
        counts[id]++;
      } else {
        otherByType[t]++;
      }
      return;
    }
    id = ids.add(h);
    if (id < 0) {
      otherByType[t]++;
      return;
    }
    if (ids.evicted() >= 0) {
      otherByType[types[id]] += counts[id];
    } else if (id == types.length) {
      int n = Math.min(ids.capacity(), id * 2);
      types = Arrays.copyOf(types, n);
      patterns = Arrays.copyOf(patterns, n);
      counts = Arrays.copyOf(counts, n);
    }
    types[id] = t;
    patterns[id] = folder.toString();
    counts[id] = 1;
  }

  /** The name users see for a type index: ZooKeeper's, or {@code EventType{other}}. */
  static String typeName(int index) {
    return index == UNKNOWN ? "EventType" + Digest.OTHER : WatchEvents.typeName(index + FIRST_TYPE);
  }

  /** The tag a type's patterns are hashed with, by the type's name (for merging snapshots). */
  static int tagOf(String typeName) {
    for (int i = 0; i < UNKNOWN; i++) {
      if (typeName(i).equals(typeName)) {
        return i;
      }
    }
    return UNKNOWN;
  }

  void forEachType(TypeCount action) {
    for (int t = 0; t <= UNKNOWN; t++) {
      if (byType[t] > 0) {
        action.accept(typeName(t), byType[t]);
      }
    }
  }

  void forEachPattern(PatternCount action) {
    ids.forEach((hash, id) -> action.accept(typeName(types[id]), patterns[id], counts[id]));
    for (int t = 0; t <= UNKNOWN; t++) {
      if (otherByType[t] > 0) {
        action.accept(typeName(t), Digest.OTHER, otherByType[t]);
      }
    }
  }

  interface TypeCount {
    void accept(String type, long count);
  }

  interface PatternCount {
    void accept(String type, String pattern, long count);
  }
}
