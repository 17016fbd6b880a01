package dev.zkdigest.capture;

import java.io.Closeable;
import java.util.List;

/** Packets in capture order, from a file or a live interface. */
public interface PacketSource extends Closeable {
  /** The next packet, or null at the end. The returned view is valid until the next call. */
  Packet next() throws CaptureException;

  /** A name for messages: the file's path or the interface. */
  String name();

  /** A warning about how reading ended (truncated file, ...), or null. */
  default String warning() {
    return null;
  }

  /** Every warning about how reading ended: a source of several files has one per file. */
  default List<String> warnings() {
    String w = warning();
    return w == null ? List.of() : List.of(w);
  }
}
