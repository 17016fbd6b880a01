package dev.zkdigest.digest;

import dev.zkdigest.protocol.ConnectionMeta;
import dev.zkdigest.protocol.Direction;
import dev.zkdigest.protocol.TrafficListener;
import dev.zkdigest.protocol.WatchEvent;
import dev.zkdigest.protocol.ZkReply;
import dev.zkdigest.protocol.ZkRequest;
import java.util.function.Supplier;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * Where one feeding thread records (a replay shard, a proxy event loop, the sniffer's or the
 * agent's decoding thread): HdrHistogram's {@code Recorder} pattern for a whole digest. The writer
 * records into the active {@link Digest} without a lock; a reader ends the phase with {@link
 * #flip}, which swaps in a fresh digest, waits for writes in flight on the old one to finish, and
 * snapshots it. Nothing recorded during a flip is lost from its phase or counted twice.
 *
 * <p>Threading: one writer thread calls the {@link TrafficListener} methods; readers call {@link
 * #flip} (serialised by {@link Recording}).
 */
public final class Recorder implements TrafficListener {
  private final WriterReaderPhaser phaser = new WriterReaderPhaser();
  private final Supplier<Digest> fresh;
  private volatile Digest active;

  Recorder(Supplier<Digest> fresh) {
    this.fresh = fresh;
    this.active = fresh.get();
  }

  /** Ends the current phase: what it recorded, as a snapshot; recording goes on in a new one. */
  DigestSnapshot flip() {
    phaser.readerLock();
    try {
      Digest done = active;
      active = fresh.get();
      phaser.flipPhase();
      return done.snapshot();
    } finally {
      phaser.readerUnlock();
    }
  }

  @Override
  public void opened(ConnectionMeta c) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.opened(c);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void bytes(ConnectionMeta c, Direction d, int n, long nanos) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.bytes(c, d, n, nanos);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void request(ConnectionMeta c, long s, ZkRequest r) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.request(c, s, r);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void exchange(ConnectionMeta c, long s, ZkRequest r, ZkReply reply) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.exchange(c, s, r, reply);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void unmatched(ConnectionMeta c, long s, ZkReply reply) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.unmatched(c, s, reply);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void event(ConnectionMeta c, long s, WatchEvent ev) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.event(c, s, ev);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void fourLetterWord(ConnectionMeta c, String cmd, long req, long bytes, long end) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.fourLetterWord(c, cmd, req, bytes, end);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void pending(ConnectionMeta c, long s, ZkRequest r) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.pending(c, s, r);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void decodeError(ConnectionMeta c, Direction d, String reason, long nanos) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.decodeError(c, d, reason, nanos);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void skipped(ConnectionMeta c, Direction d, long bytes) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.skipped(c, d, bytes);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void closed(ConnectionMeta c, long nanos) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.closed(c, nanos);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }

  @Override
  public void ignored(String server, int flows, long bytes) {
    long e = phaser.writerCriticalSectionEnter();
    try {
      active.ignored(server, flows, bytes);
    } finally {
      phaser.writerCriticalSectionExit(e);
    }
  }
}
