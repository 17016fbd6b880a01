package dev.zkdigest.protocol;

import java.util.ArrayList;
import java.util.List;

/** Keeps everything the core reports, for assertions. */
public final class RecordingListener implements TrafficListener {
  public final List<ZkRequest> requests = new ArrayList<>();
  public final List<ZkRequest[]> exchangeRequests = new ArrayList<>();
  public final List<ZkReply> replies = new ArrayList<>();
  public final List<ZkReply> unmatched = new ArrayList<>();
  public final List<WatchEvent> events = new ArrayList<>();
  public final List<ZkRequest> pending = new ArrayList<>();
  public final List<String> decodeErrors = new ArrayList<>();
  public final List<String> fourLetterWords = new ArrayList<>();
  public long fourLetterAnswerBytes;
  public long skipped;
  public long sessionAtLastExchange;
  public final List<ConnectionMeta> opened = new ArrayList<>();
  public final List<ConnectionMeta> closed = new ArrayList<>();

  @Override
  public void opened(ConnectionMeta c) {
    opened.add(c);
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    closed.add(c);
  }

  /** Bytes seen, by direction: what the front end delivered, each byte once. */
  public long clientBytes;

  public long serverBytes;

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    if (d == Direction.CLIENT_TO_SERVER) {
      clientBytes += n;
    } else {
      serverBytes += n;
    }
  }

  /** Ignored flows and bytes by server end. */
  public final java.util.Map<String, long[]> ignored = new java.util.TreeMap<>();

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    requests.add(r);
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    exchangeRequests.add(new ZkRequest[] {r});
    replies.add(reply);
    sessionAtLastExchange = s;
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    unmatched.add(reply);
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent e) {
    events.add(e);
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    pending.add(r);
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    decodeErrors.add(reason);
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    fourLetterWords.add(cmd);
    fourLetterAnswerBytes += bytes;
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    skipped += bytes;
  }

  @Override
  public void ignored(String server, int flows, long bytes) {
    long[] v = ignored.computeIfAbsent(server, k -> new long[2]);
    v[0] += flows;
    v[1] += bytes;
  }

  public List<Op> requestOps() {
    return requests.stream().map(ZkRequest::op).toList();
  }

  public static ConnectionMeta meta(boolean fromStart) {
    return new ConnectionMeta(1, "10.0.0.1", 40000, "10.0.0.2", 2181, 1_000, fromStart);
  }
}
