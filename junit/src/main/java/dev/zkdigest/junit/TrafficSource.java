package dev.zkdigest.junit;

import dev.zkdigest.protocol.TrafficListener;
import java.util.function.Supplier;

/**
 * Where the extension's traffic comes from: a proxy in front of an embedded or an existing
 * ZooKeeper today; the in-process agent is meant to be a third (it sees the application's own
 * client, so it needs no connect string).
 */
interface TrafficSource extends AutoCloseable {

  /**
   * Starts feeding the recording.
   *
   * @param listeners called on each feeding thread for that thread's single-writer recorder
   * @return the connect string the application under test should use
   */
  String start(Supplier<TrafficListener> listeners) throws Exception;

  /** What reports name as their input, e.g. {@code proxy 127.0.0.1:41234 -> 127.0.0.1:2181}. */
  String describe();

  @Override
  void close();
}
