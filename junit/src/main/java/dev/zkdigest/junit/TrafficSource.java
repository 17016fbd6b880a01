package dev.zkdigest.junit;

import dev.zkdigest.digest.DigestSnapshot;
import dev.zkdigest.digest.Recording;
import dev.zkdigest.protocol.TrafficListener;
import java.util.function.Supplier;

/**
 * Where the extension's traffic comes from: a proxy in front of an embedded or an existing
 * ZooKeeper, feeding the extension's recording; or the agent in this JVM, which sees the
 * application's own clients (so there is no connect string) and keeps its own recording.
 */
interface TrafficSource extends AutoCloseable {

  /**
   * Starts feeding the recording.
   *
   * @param listeners called on each feeding thread for that thread's single-writer recorder
   * @return the connect string the application under test should use, or null when it connects
   *     wherever it likes (the agent)
   */
  String start(Supplier<TrafficListener> listeners) throws Exception;

  /** The traffic since the previous call (or the start): what the recording's recorders took. */
  default DigestSnapshot interval(Recording recording) {
    return recording.interval();
  }

  /** What reports name as their input, e.g. {@code proxy 127.0.0.1:41234 -> 127.0.0.1:2181}. */
  String describe();

  @Override
  void close();
}
