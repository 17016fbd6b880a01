package dev.zkdigest.digest;

/**
 * HdrHistogram's bucket layout for a lowest discernible value of 1 (every histogram a digest
 * makes): which counts-array index a value falls in and back. The histogram keeps this arithmetic
 * to itself, and {@link Latency} needs it to walk a histogram once by index and to write its
 * encoding without building another histogram. Each formula is the library's own (AbstractHistogram
 * 2.2), and a test holds the encodings to the library's byte for byte.
 */
final class HistogramLayout {
  private static final HistogramLayout[] BY_DIGITS = new HistogramLayout[6];

  static {
    for (int d = 0; d < BY_DIGITS.length; d++) {
      BY_DIGITS[d] = new HistogramLayout(d);
    }
  }

  final int digits;
  final int subBucketCount;
  private final int subBucketHalfCount;
  private final int subBucketHalfCountMagnitude;
  private final long subBucketMask;
  private final int leadingZeroCountBase;

  private HistogramLayout(int digits) {
    this.digits = digits;
    long largestValueWithSingleUnitResolution = 2 * (long) Math.pow(10, digits);
    int subBucketCountMagnitude =
        (int) Math.ceil(Math.log(largestValueWithSingleUnitResolution) / Math.log(2));
    subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
    subBucketCount = 1 << subBucketCountMagnitude;
    subBucketHalfCount = subBucketCount / 2;
    subBucketMask = (long) subBucketCount - 1;
    leadingZeroCountBase = 64 - subBucketCountMagnitude;
  }

  /** The layout of histograms of {@code digits} significant digits (0 to 5). */
  static HistogramLayout of(int digits) {
    return BY_DIGITS[digits];
  }

  int index(long value) {
    int bucket = bucket(value);
    int subBucket = (int) (value >>> bucket);
    return ((bucket + 1) << subBucketHalfCountMagnitude) + subBucket - subBucketHalfCount;
  }

  /** The lowest value counted at {@code index}. */
  long lowestAt(int index) {
    int bucket = (index >> subBucketHalfCountMagnitude) - 1;
    int subBucket = (index & (subBucketHalfCount - 1)) + subBucketHalfCount;
    if (bucket < 0) {
      subBucket -= subBucketHalfCount;
      bucket = 0;
    }
    return ((long) subBucket) << bucket;
  }

  /** How many values {@code index} counts together. */
  long widthAt(int index) {
    return 1L << Math.max(0, (index >> subBucketHalfCountMagnitude) - 1);
  }

  /** The highest value counted at {@code index}: what the library's iterators report. */
  long highestAt(int index) {
    return lowestAt(index) + widthAt(index) - 1;
  }

  /** The middle of {@code index}'s values (rounded up): what the library's mean weighs. */
  long medianAt(int index) {
    return lowestAt(index) + (widthAt(index) >> 1);
  }

  /** Buckets a histogram needs to count {@code value}. */
  int bucketsToCover(long value) {
    long smallestUntrackableValue = subBucketCount;
    int buckets = 1;
    while (smallestUntrackableValue <= value) {
      if (smallestUntrackableValue > Long.MAX_VALUE / 2) {
        return buckets + 1;
      }
      smallestUntrackableValue <<= 1;
      buckets++;
    }
    return buckets;
  }

  /** The counts array's length for {@code buckets} buckets. */
  int length(int buckets) {
    return (buckets + 1) * subBucketHalfCount;
  }

  private int bucket(long value) {
    return leadingZeroCountBase - Long.numberOfLeadingZeros(value | subBucketMask);
  }
}
