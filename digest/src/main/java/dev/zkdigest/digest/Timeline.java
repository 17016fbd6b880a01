package dev.zkdigest.digest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Requests, errors and latency per interval of time (a bucket), overall and per class: what the
 * report's chart, the JSON {@code timeline} and the slow-period finding read. Immutable.
 *
 * <p>Buckets are aligned on the epoch and their width is taken from a ladder (10 ms, 50 ms, 100 ms,
 * 500 ms, 1 s, 5 s, 10 s, 30 s, 1 min, 5 min, 10 min, 30 min, 1 h, then doubling; or a fixed width
 * and its doublings): the narrowest width on it that spans the run in at most {@link
 * Spec#maxBuckets} buckets. Each width divides the next, so a timeline coarsens exactly, and the
 * width depends only on the first and last times seen: timelines recorded by several threads merge
 * into exactly the one a single digest would have recorded.
 *
 * <p>Each bucket keeps at most {@link Spec#classes} classes, those of smallest {@link
 * ClassKey#hash}; the others count under their op's {@code {other}}. Memory: at most maxBuckets
 * buckets of one histogram plus classes × one coarse histogram.
 */
public final class Timeline {
  /**
   * How a digest buckets time.
   *
   * @param bucketNanos the narrowest width, or 0 to size buckets automatically from {@value
   *     #AUTO_NANOS} ns
   * @param maxBuckets buckets kept at most: past them, buckets widen
   * @param classes classes kept per bucket
   */
  public record Spec(long bucketNanos, int maxBuckets, int classes) {
    /** Buckets sized automatically, the chart's width at most. */
    public static final Spec DEFAULTS = new Spec(0, 60, 16);

    /** Buckets kept at most with a fixed width ({@code --bucket}): a day of minutes. */
    public static final int FIXED_MAX_BUCKETS = 1440;

    public Spec {
      if (bucketNanos < 0 || maxBuckets < 2 || classes < 1) {
        throw new IllegalArgumentException("bad timeline spec");
      }
    }

    /** The narrowest width this spec uses. */
    public long firstWidth() {
      return bucketNanos == 0 ? AUTO_NANOS : bucketNanos;
    }

    /** The width after {@code w} on this spec's ladder. */
    public long nextWidth(long w) {
      if (bucketNanos != 0) {
        return w * 2;
      }
      for (long step : AUTO_LADDER) {
        if (step > w) {
          return step;
        }
      }
      return w * 2;
    }

    /**
     * The narrowest width that divides every width of {@code widths} and spans bucket starts from
     * {@code first} to {@code last} in at most {@link #maxBuckets} buckets.
     */
    long widthFor(long first, long last, Collection<Long> widths) {
      long w = firstWidth();
      for (int step = 0; ; step++) {
        if (step == 64) {
          // Timelines of other specs (merged reports): the least common multiple will do.
          for (long x : widths) {
            w = lcm(w, x);
          }
        }
        if (divisibleByAll(w, widths) && count(first, last, w) <= maxBuckets) {
          return w;
        }
        w = nextWidth(w);
      }
    }

    private static boolean divisibleByAll(long w, Collection<Long> widths) {
      for (long x : widths) {
        if (w % x != 0) {
          return false;
        }
      }
      return true;
    }

    private static long lcm(long a, long b) {
      long x = a;
      long y = b;
      while (y != 0) {
        long t = x % y;
        x = y;
        y = t;
      }
      return a / x * b;
    }
  }

  /** The narrowest automatic width. */
  public static final long AUTO_NANOS = 10_000_000L;

  private static final long[] AUTO_LADDER = {
    10_000_000L,
    50_000_000L,
    100_000_000L,
    500_000_000L,
    1_000_000_000L,
    5_000_000_000L,
    10_000_000_000L,
    30_000_000_000L,
    60_000_000_000L,
    300_000_000_000L,
    600_000_000_000L,
    1_800_000_000_000L,
    3_600_000_000_000L
  };

  /** Buckets from the one of {@code first} to the one of {@code last}, at width {@code w}. */
  static long count(long first, long last, long w) {
    return Math.floorDiv(last, w) - Math.floorDiv(first, w) + 1;
  }

  /** One class in one bucket. */
  public record Point(long requests, long errors, Latency latency) {
    static final Point EMPTY = new Point(0, 0, Latency.EMPTY);

    static Point sum(List<Point> all) {
      long requests = 0;
      long errors = 0;
      List<Latency> l = new ArrayList<>();
      for (Point p : all) {
        requests += p.requests;
        errors += p.errors;
        l.add(p.latency);
      }
      return new Point(requests, errors, sumOf(l));
    }
  }

  /**
   * One interval: requests sent in it, and the errors and latency of their replies (a reply counts
   * in its request's bucket).
   *
   * @param classes per class, at most {@link Spec#classes} and each op's {@code {other}}
   */
  public record Bucket(
      long startNanos,
      long requests,
      long responses,
      long errors,
      Latency latency,
      Map<ClassKey, Point> classes) {
    public Bucket {
      classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
    }

    public boolean isEmpty() {
      return requests == 0 && responses == 0;
    }
  }

  /** No buckets. */
  public static final Timeline EMPTY = new Timeline(AUTO_NANOS, new TreeMap<>());

  private final long widthNanos;

  /** Non-empty buckets by index (start / width). */
  private final SortedMap<Long, Bucket> buckets;

  Timeline(long widthNanos, SortedMap<Long, Bucket> buckets) {
    this.widthNanos = widthNanos;
    this.buckets = Collections.unmodifiableSortedMap(new TreeMap<>(buckets));
  }

  /** A timeline of these buckets (each start a multiple of the width): report readers. */
  public static Timeline of(long widthNanos, List<Bucket> buckets) {
    SortedMap<Long, Bucket> m = new TreeMap<>();
    for (Bucket b : buckets) {
      if (!b.isEmpty()) {
        m.put(Math.floorDiv(b.startNanos(), widthNanos), b);
      }
    }
    return new Timeline(widthNanos, m);
  }

  public long widthNanos() {
    return widthNanos;
  }

  public boolean isEmpty() {
    return buckets.isEmpty();
  }

  /** Every bucket from the first to the last, the empty ones between included. */
  public List<Bucket> buckets() {
    List<Bucket> out = new ArrayList<>();
    if (buckets.isEmpty()) {
      return out;
    }
    for (long i = buckets.firstKey(); i <= buckets.lastKey(); i++) {
      Bucket b = buckets.get(i);
      out.add(b != null ? b : new Bucket(i * widthNanos, 0, 0, 0, Latency.EMPTY, Map.of()));
    }
    return out;
  }

  /** This timeline in buckets of {@code width}, a multiple of this one's (charts). */
  public Timeline coarsened(long width, int classesPerBucket) {
    if (width == widthNanos) {
      return this;
    }
    return merge(List.of(this), width, null, classesPerBucket);
  }

  /**
   * All of them together, under {@code spec}: buckets widened to a common width, classes not in
   * {@code keptClasses} (the merged snapshot's) counted under their op's {@code {other}}.
   */
  static Timeline merge(List<Timeline> all, Spec spec, Set<ClassKey> keptClasses) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    List<Long> widths = new ArrayList<>();
    for (Timeline t : all) {
      if (!t.buckets.isEmpty()) {
        first = Math.min(first, t.buckets.firstKey() * t.widthNanos);
        last = Math.max(last, t.buckets.lastKey() * t.widthNanos);
        widths.add(t.widthNanos);
      }
    }
    if (widths.isEmpty()) {
      return new Timeline(spec.firstWidth(), new TreeMap<>());
    }
    return merge(all, spec.widthFor(first, last, widths), keptClasses, spec.classes());
  }

  private static Timeline merge(
      List<Timeline> all, long width, Set<ClassKey> keptClasses, int classesPerBucket) {
    SortedMap<Long, List<Bucket>> parts = new TreeMap<>();
    for (Timeline t : all) {
      t.buckets.forEach(
          (i, b) ->
              parts
                  .computeIfAbsent(Math.floorDiv(i * t.widthNanos, width), k -> new ArrayList<>())
                  .add(b));
    }
    SortedMap<Long, Bucket> out = new TreeMap<>();
    parts.forEach((i, l) -> out.put(i, sum(i * width, l, keptClasses, classesPerBucket)));
    return new Timeline(width, out);
  }

  private static Bucket sum(
      long start, List<Bucket> parts, Set<ClassKey> keptClasses, int classesPerBucket) {
    long requests = 0;
    long responses = 0;
    long errors = 0;
    List<Latency> latencies = new ArrayList<>();
    List<Map<ClassKey, Point>> classMaps = new ArrayList<>();
    for (Bucket b : parts) {
      requests += b.requests;
      responses += b.responses;
      errors += b.errors;
      latencies.add(b.latency);
      if (keptClasses == null) {
        classMaps.add(b.classes);
      } else {
        // A class the merged snapshot folded into {other} is folded here too.
        Map<ClassKey, Point> folded = new LinkedHashMap<>();
        b.classes.forEach(
            (k, p) ->
                folded.merge(
                    k.isOther() || keptClasses.contains(k) ? k : ClassKey.other(k.op()),
                    p,
                    (x, y) -> Point.sum(List.of(x, y))));
        classMaps.add(folded);
      }
    }
    Map<ClassKey, Point> classes =
        DigestSnapshot.capped(
            classMaps,
            classesPerBucket,
            ClassKey::isOther,
            ClassKey::hash,
            k -> ClassKey.other(k.op()),
            Point::sum);
    return new Bucket(start, requests, responses, errors, sumOf(latencies), sorted(classes));
  }

  /** The non-empty ones added: an empty histogram first would impose its precision on the sum. */
  static Latency sumOf(List<Latency> all) {
    List<Latency> some = new ArrayList<>();
    for (Latency l : all) {
      if (l.count() > 0) {
        some.add(l);
      }
    }
    // all empty: the first, so the sum keeps the precision (and encoding) of its parts
    return some.isEmpty() ? (all.isEmpty() ? Latency.EMPTY : all.get(0)) : Latency.sum(some);
  }

  /** Classes by op, then pattern: the same order whatever order the parts came in. */
  static Map<ClassKey, Point> sorted(Map<ClassKey, Point> classes) {
    Map<ClassKey, Point> m =
        new TreeMap<>(
            java.util.Comparator.comparing(ClassKey::op).thenComparing(ClassKey::pattern));
    m.putAll(classes);
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timeline t && t.widthNanos == widthNanos && t.buckets.equals(buckets);
  }

  @Override
  public int hashCode() {
    return buckets.hashCode() * 31 + Long.hashCode(widthNanos);
  }
}
