package dev.zkdigest.findings;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code polling}: a session reads the same path again and again at a regular interval without
 * setting a watch ({@code exists} polling included). One finding per (op, path), naming the
 * sessions that poll it.
 */
final class PollingDetector implements Detector {
  static final String REMEDY =
      "Read once with a watch and read again only when it fires (or add a persistent watch, or"
          + " use Curator's CuratorCache): a watch costs the server nothing until the znode"
          + " changes, a poll costs a request every interval.";

  @Override
  public List<Finding> detect(DigestSnapshot s, Thresholds t) {
    Map<String, List<Map.Entry<Usage.PollKey, Usage.Poll>>> byPath = new TreeMap<>();
    for (Map.Entry<Usage.PollKey, Usage.Poll> e : s.usage().polls().entrySet()) {
      Usage.Poll p = e.getValue();
      long spanMs = (p.lastNanos() - p.firstNanos()) / 1_000_000;
      if (p.reads() >= t.pollReads()
          && spanMs >= t.pollSpanMs()
          && p.gapVariation() <= t.pollVariation()) {
        byPath
            .computeIfAbsent(
                e.getKey().op().zkName() + " " + e.getKey().path(), k -> new ArrayList<>())
            .add(e);
      }
    }
    List<Finding> out = new ArrayList<>();
    byPath.forEach(
        (opPath, series) -> {
          series.sort(Comparator.comparingLong(e -> -e.getValue().reads()));
          long reads = 0;
          long gaps = 0;
          long gapMs = 0;
          long first = Long.MAX_VALUE;
          long last = Long.MIN_VALUE;
          Usage.Sample example = null;
          List<String> sessions = new ArrayList<>();
          List<String> clients = new ArrayList<>();
          for (Map.Entry<Usage.PollKey, Usage.Poll> e : series) {
            Usage.Poll p = e.getValue();
            reads += p.reads();
            gaps += p.gaps();
            gapMs += p.sumGapMs();
            first = Math.min(first, p.firstNanos());
            last = Math.max(last, p.lastNanos());
            if (example == null) {
              example = p.example();
            }
            if (sessions.size() < Usage.CLIENTS) {
              sessions.add(Usage.sessionName(e.getKey().session()));
            }
            if (p.example() != null
                && clients.size() < Usage.CLIENTS
                && !clients.contains(p.example().client())) {
              clients.add(p.example().client());
            }
          }
          double meanMs = gaps == 0 ? 0 : (double) gapMs / gaps;
          double perSecond = meanMs == 0 ? 0 : series.size() * 1000.0 / meanMs;
          String summary =
              series.size()
                  + (series.size() == 1 ? " session polls " : " sessions poll ")
                  + opPath
                  + " every "
                  + Detector.duration(meanMs)
                  + " without a watch ("
                  + reads
                  + " reads)";
          int space = opPath.indexOf(' ');
          out.add(
              new Finding(
                  Finding.Kind.POLLING,
                  perSecond >= 10 ? Finding.Severity.WARNING : Finding.Severity.INFO,
                  summary,
                  new Finding.Evidence(
                      null,
                      opPath.substring(space + 1),
                      clients,
                      sessions,
                      reads,
                      first,
                      last,
                      Detector.example(example)),
                  REMEDY));
        });
    out.sort(Finding.MOST_EVIDENCE_FIRST);
    return out;
  }
}
