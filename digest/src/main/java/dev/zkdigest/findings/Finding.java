package dev.zkdigest.findings;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A problem in how clients use ZooKeeper, said in words with its evidence and the usual remedy:
 * what the report's {@code # Findings} section and JSON {@code findings} list.
 *
 * @param summary one line for people, e.g. "30 sessions re-read /app/locks within 50 ms of one
 *     NodeChildrenChanged"
 * @param remedy what usually fixes it
 */
public record Finding(
    Kind kind, Severity severity, String summary, Evidence evidence, String remedy) {

  /**
   * Most evidence first; ties by summary, then class, so the order never depends on map iteration,
   * which differs with the thread count that built the snapshot.
   */
  public static final Comparator<Finding> MOST_EVIDENCE_FIRST =
      Comparator.comparingLong((Finding f) -> f.evidence().count())
          .reversed()
          .thenComparing(Finding::summary)
          .thenComparing(f -> String.valueOf(f.evidence().cls()));

  /** The kinds of problem detected; their JSON names are the constants in lower case. */
  public enum Kind {
    HERD,
    POLLING,
    HOT_ZNODE,
    LARGE_PAYLOAD,
    SESSION_CHURN,
    ERROR_STORM,
    SLOW_PERIOD;

    /** The name in JSON and in budget files, e.g. {@code hot_znode}. */
    public String jsonName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The kind of a JSON or budget-file name, or null. */
    public static Kind byJsonName(String name) {
      for (Kind k : values()) {
        if (k.jsonName().equals(name)) {
          return k;
        }
      }
      return null;
    }
  }

  public enum Severity {
    INFO,
    WARNING,
    CRITICAL
  }

  /**
   * What the finding rests on, enough to find it again with {@code --show} or in Wireshark.
   *
   * @param cls the class ({@code op pattern}) concerned, or null
   * @param path the raw path concerned, or null
   * @param firstNanos epoch nanoseconds of the first message involved, 0 if none
   * @param example one message involved, or null
   */
  public record Evidence(
      String cls,
      String path,
      List<String> clients,
      List<String> sessions,
      long count,
      long firstNanos,
      long lastNanos,
      Example example) {
    public Evidence {
      clients = List.copyOf(clients);
      sessions = List.copyOf(sessions);
    }
  }

  /** One message, as {@code --show} prints it: when, from which client and session, which xid. */
  public record Example(long timeNanos, String client, long session, int xid) {}
}
