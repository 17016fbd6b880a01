package dev.zkdigest.digest;

import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;

/**
 * The live buckets of a {@link Timeline} while a {@link Digest} records: at most {@link
 * Timeline.Spec#maxBuckets}, widened along the spec's ladder when the run outgrows them (buckets
 * added into their wider bucket), so memory stays bounded however long the run.
 *
 * <p>Threading: not thread-safe; owned by one {@link Digest}.
 */
final class TimelineTable {
  private final Timeline.Spec spec;
  private long width;
  private long firstIndex = Long.MAX_VALUE;
  private long lastIndex = Long.MIN_VALUE;
  private final Map<Long, LiveBucket> buckets = new HashMap<>();

  /** The bucket the last call used: traffic mostly lands in the current one. */
  private long cachedIndex = Long.MIN_VALUE;

  private LiveBucket cached;

  TimelineTable(Timeline.Spec spec) {
    this.spec = spec;
    this.width = spec.firstWidth();
  }

  void request(long timeNanos, Op op, long classHash) {
    bucket(timeNanos).request(op, classHash, spec.classes());
  }

  void reply(long requestNanos, Op op, long classHash, int err, long latencyUs) {
    bucket(requestNanos).reply(op, classHash, err, latencyUs, spec.classes());
  }

  private LiveBucket bucket(long nanos) {
    long i = Math.floorDiv(nanos, width);
    if (i == cachedIndex) {
      return cached;
    }
    if (i < firstIndex || i > lastIndex) {
      long first = Math.min(firstIndex, i) * width;
      long last = Math.max(lastIndex, i) * width;
      long w = width;
      while (Timeline.count(first, last, w) > spec.maxBuckets()) {
        w = spec.nextWidth(w);
      }
      if (w != width) {
        widen(w);
        i = Math.floorDiv(nanos, width);
      }
      firstIndex = Math.min(firstIndex, i);
      lastIndex = Math.max(lastIndex, i);
    }
    LiveBucket b = buckets.get(i);
    if (b == null) {
      b = new LiveBucket();
      buckets.put(i, b);
    }
    cachedIndex = i;
    cached = b;
    return b;
  }

  private void widen(long w) {
    Map<Long, List<LiveBucket>> into = new TreeMap<>();
    buckets.forEach(
        (i, b) -> into.computeIfAbsent(Math.floorDiv(i * width, w), k -> new ArrayList<>()).add(b));
    buckets.clear();
    into.forEach(
        (i, l) -> {
          LiveBucket sum = new LiveBucket();
          for (LiveBucket b : l) {
            sum.absorb(b, spec.classes());
          }
          buckets.put(i, sum);
        });
    firstIndex = Math.floorDiv(firstIndex * width, w);
    lastIndex = Math.floorDiv(lastIndex * width, w);
    width = w;
    cachedIndex = Long.MIN_VALUE;
    cached = null;
  }

  /** The timeline, class hashes named by {@code classNames} (unnamed ones count as other). */
  Timeline snapshot(Map<Long, ClassKey> classNames) {
    TreeMap<Long, Timeline.Bucket> out = new TreeMap<>();
    buckets.forEach((i, b) -> out.put(i, b.freeze(i * width, classNames)));
    return new Timeline(width, out);
  }

  /** One bucket's counts, and its classes' counts by class hash, the smallest hashes kept. */
  private static final class LiveBucket {
    long requests;
    long responses;
    long errors;
    final AbstractHistogram latency = Latency.presized(2);
    BottomK ids;
    LivePoint[] points = new LivePoint[4];
    final LivePoint[] other = new LivePoint[Op.COUNT];

    void request(Op op, long classHash, int cap) {
      requests++;
      point(op, classHash, cap).requests++;
    }

    void reply(Op op, long classHash, int err, long latencyUs, int cap) {
      responses++;
      long v = Math.min(Math.max(0, latencyUs), Latency.MAX_US);
      latency.recordValue(v);
      LivePoint p = point(op, classHash, cap);
      p.latency.recordValue(v);
      if (err != KeeperErrors.OK) {
        errors++;
        p.errors++;
      }
    }

    private LivePoint point(Op op, long hash, int cap) {
      if (ids == null) {
        ids = new BottomK(cap);
      }
      int id = ids.find(hash);
      if (id >= 0) {
        return points[id];
      }
      id = ids.add(hash);
      if (id < 0) {
        return otherOf(op);
      }
      if (ids.evicted() >= 0) {
        otherOf(points[id].op).absorb(points[id]);
      } else if (id == points.length) {
        points = java.util.Arrays.copyOf(points, Math.min(cap, id * 2));
      }
      points[id] = new LivePoint(op, hash);
      return points[id];
    }

    private LivePoint otherOf(Op op) {
      LivePoint p = other[op.ordinal()];
      if (p == null) {
        p = new LivePoint(op, 0);
        other[op.ordinal()] = p;
      }
      return p;
    }

    void absorb(LiveBucket b, int cap) {
      requests += b.requests;
      responses += b.responses;
      errors += b.errors;
      latency.add(b.latency);
      if (b.ids != null) {
        b.ids.forEach(
            (hash, id) -> {
              LivePoint from = b.points[id];
              point(from.op, hash, cap).absorb(from);
            });
      }
      for (LivePoint p : b.other) {
        if (p != null) {
          otherOf(p.op).absorb(p);
        }
      }
    }

    Timeline.Bucket freeze(long start, Map<Long, ClassKey> classNames) {
      Map<ClassKey, List<Timeline.Point>> byKey = new LinkedHashMap<>();
      if (ids != null) {
        ids.forEach(
            (hash, id) -> {
              LivePoint p = points[id];
              ClassKey k = classNames.get(hash);
              if (k == null || k.op() != p.op) {
                k = ClassKey.other(p.op);
              }
              byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(p.freeze());
            });
      }
      for (LivePoint p : other) {
        if (p != null) {
          byKey.computeIfAbsent(ClassKey.other(p.op), x -> new ArrayList<>()).add(p.freeze());
        }
      }
      Map<ClassKey, Timeline.Point> classes = new HashMap<>();
      byKey.forEach((k, l) -> classes.put(k, Timeline.Point.sum(l)));
      return new Timeline.Bucket(
          start, requests, responses, errors, new Latency(latency), Timeline.sorted(classes));
    }
  }

  /** One class in one bucket. */
  private static final class LivePoint {
    final Op op;
    final long hash;
    long requests;
    long errors;
    final AbstractHistogram latency = Latency.presized(1);

    LivePoint(Op op, long hash) {
      this.op = op;
      this.hash = hash;
    }

    void absorb(LivePoint o) {
      requests += o.requests;
      errors += o.errors;
      latency.add(o.latency);
    }

    Timeline.Point freeze() {
      return new Timeline.Point(requests, errors, new Latency(latency));
    }
  }
}
