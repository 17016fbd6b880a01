package dev.zkdigest.protocol;

import java.util.List;

/** Sends what the protocol core reports to several listeners in turn. */
public final class TrafficListeners implements TrafficListener {
  private final TrafficListener[] all;

  private TrafficListeners(List<TrafficListener> all) {
    this.all = all.toArray(new TrafficListener[0]);
  }

  public static TrafficListener of(List<TrafficListener> listeners) {
    return listeners.size() == 1 ? listeners.get(0) : new TrafficListeners(listeners);
  }

  @Override
  public void opened(ConnectionMeta c) {
    for (TrafficListener l : all) {
      l.opened(c);
    }
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    for (TrafficListener l : all) {
      l.bytes(c, d, n, nanos);
    }
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    for (TrafficListener l : all) {
      l.request(c, s, r);
    }
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    for (TrafficListener l : all) {
      l.exchange(c, s, r, reply);
    }
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    for (TrafficListener l : all) {
      l.unmatched(c, s, reply);
    }
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    for (TrafficListener l : all) {
      l.event(c, s, e);
    }
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    for (TrafficListener l : all) {
      l.fourLetterWord(c, cmd, req, bytes, end);
    }
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    for (TrafficListener l : all) {
      l.pending(c, s, r);
    }
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    for (TrafficListener l : all) {
      l.decodeError(c, d, reason, nanos);
    }
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    for (TrafficListener l : all) {
      l.skipped(c, d, bytes);
    }
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    for (TrafficListener l : all) {
      l.closed(c, nanos);
    }
  }

  @Override
  public void ignored(String server, int flows, long bytes) {
    for (TrafficListener l : all) {
      l.ignored(server, flows, bytes);
    }
  }
}
