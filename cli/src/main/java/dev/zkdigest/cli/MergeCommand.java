package dev.zkdigest.cli;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Timeline;
import dev.zkdigest.report.JsonReportReader;
import dev.zkdigest.report.ReportOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code zkdigest merge A.json B.json ...}: one report from many (each server's sniffer, several
 * proxies, a week of daily replays). Counts and percentiles come from the merged histograms, and
 * merging is associative, so the result equals replaying everything as one, however it is batched.
 */
@Command(
    name = "merge",
    mixinStandardHelpOptions = true,
    description =
        "Merge JSON reports (--format json of any mode) into one, as if their traffic had been"
            + " digested together.")
final class MergeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "REPORT", description = "JSON reports to merge.")
  List<Path> reports = new ArrayList<>();

  @Mixin OutputOptions output = new OutputOptions();

  @Override
  public Integer call() throws Exception {
    var err = spec.commandLine().getErr();
    List<DigestSnapshot> snapshots = new ArrayList<>();
    for (Path f : reports) {
      try {
        JsonReportReader.Read r = ReportFiles.read(f);
        snapshots.add(r.snapshot());
      } catch (ReportFiles.BadReport e) {
        err.println("zkdigest: " + e.getMessage());
        return 1;
      }
    }
    Digest.Limits limits = smallest(snapshots);
    DigestSnapshot merged = DigestSnapshot.empty(limits);
    for (DigestSnapshot s : snapshots) {
      merged = DigestSnapshot.merge(merged, s, limits);
    }
    ReportWriter.write(
        merged,
        new ReportOptions(
            "merge",
            reports.stream().map(Path::toString).toList(),
            output.top,
            output.groupBy,
            output.thresholds(),
            output.orderBy,
            output.limit,
            output.slowMicros()),
        output,
        spec.commandLine().getOut());
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** Reports made under different caps merge under the smallest of each. */
  private static Digest.Limits smallest(List<DigestSnapshot> all) {
    Digest.Limits m = all.get(0).limits();
    for (DigestSnapshot s : all) {
      Digest.Limits l = s.limits();
      m =
          new Digest.Limits(
              Math.min(m.classes(), l.classes()),
              Math.min(m.clients(), l.clients()),
              Math.min(m.sessions(), l.sessions()),
              Math.min(m.eventPatterns(), l.eventPatterns()),
              Math.min(m.pairs(), l.pairs()),
              Math.min(m.sessionIds(), l.sessionIds()),
              Math.min(m.decodeReasons(), l.decodeReasons()),
              Math.min(m.ignoredServers(), l.ignoredServers()),
              Math.min(m.paths(), l.paths()),
              Math.min(m.identities(), l.identities()),
              // The widest of the timelines' specs: every report's buckets nest in it.
              new Timeline.Spec(
                  Math.max(m.timeline().bucketNanos(), l.timeline().bucketNanos()),
                  Math.min(m.timeline().maxBuckets(), l.timeline().maxBuckets()),
                  Math.min(m.timeline().classes(), l.timeline().classes())));
    }
    return m;
  }
}
