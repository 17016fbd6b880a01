package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Usage;
import java.util.List;

/** Looks for one kind of problem in a snapshot. */
interface Detector {
  List<Finding> detect(DigestSnapshot snapshot, Thresholds t);

  /** A digest sample as a finding's example, or null. */
  static Finding.Example example(Usage.Sample s) {
    return s == null ? null : new Finding.Example(s.timeNanos(), s.client(), s.session(), s.xid());
  }

  /** A duration in words: {@code 250 ms}, {@code 1.5 s}. */
  static String duration(double ms) {
    if (ms < 1) {
      return String.format(java.util.Locale.ROOT, "%.2f ms", ms);
    }
    if (ms < 1_000) {
      return Math.round(ms) + " ms";
    }
    return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1_000);
  }

  /** A size in words: {@code 300 KiB}. */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    if (n < 1024 * 1024) {
      return Math.round(n / 1024.0) + " KiB";
    }
    return String.format(java.util.Locale.ROOT, "%.1f MiB", n / 1024.0 / 1024.0);
  }

  static String percent(double f) {
    return Math.round(f * 100) + "%";
  }
}
