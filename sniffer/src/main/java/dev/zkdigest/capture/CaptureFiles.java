package dev.zkdigest.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The capture files of one replay as one timeline: their packets merged by timestamp, and a file
 * opened only when the merge reaches its first packet and closed at its end. A rotated capture
 * ({@code tcpdump -C/-G/-W}: files one after another) so has one file open at a time, however many
 * files it has, and reading ahead runs on from the end of one file into the next as in one stream;
 * files that overlap in time (two interfaces, two hosts) are merged packet by packet as before.
 *
 * <p>Order: by the timestamp of each file's first packet, not by the order given. {@code part*}
 * from {@code tcpdump -C} sorts {@code part, part1, part10, part100, part2}, and {@code -W} reuses
 * names in a ring, so neither the shell's nor the file names' order is time order. Files whose
 * first packets have the same timestamp keep the order given. The packets read are exactly those of
 * a merge with every file open at once, in the same order; only the memory and threads differ.
 *
 * <p>The simpler alternative, every file open from the start (as before), held a reader thread and
 * {@code RING} chunks of read-ahead per file: 8 GiB of buffers for 1,000 files.
 *
 * <p>Threading: {@link #reader} is called once per consumer, and each reader is used by one thread;
 * a file's shared chunks are started and released under the file's own lock.
 */
final class CaptureFiles {
  private final File[] byTime;
  private final int consumers;
  private final int chunkSize;
  private final int ring;
  private final ReplayProgress progress;

  /**
   * Chunks of files read to the end, for the next files: 1,000 files of 1 MB each allocating a ring
   * of 8 MiB each was 8 GB of garbage to read 1 GB.
   */
  private final ArrayDeque<ChunkSource.Chunk> spare = new ArrayDeque<>();

  /**
   * Files each consumer has opened, in time order. A consumer opens a file at most {@code ring}
   * files ahead of the slowest, as within one file it runs at most {@code ring} chunks ahead: the
   * ring alone bounds nothing across small files, and two shards drifted 45 rings apart.
   */
  private final int[] opened;

  /** One capture file, its first packet's time, and its chunks while someone reads it. */
  private final class File {
    final Path path;
    final String name;
    final int given;
    final long first;
    private final boolean[] left;
    private int leftCount;
    private SharedChunks chunks;
    private CaptureException failure;

    /** The file's size when probed, 0 if unknown (a FIFO). */
    final long size;

    /** Where the file is in {@link #byTime}. */
    int position;

    File(Path path, int given, long first, long size) {
      this.size = size;
      this.path = path;
      this.name = path.toString();
      this.given = given;
      this.first = first;
      this.left = new boolean[consumers];
    }

    /** Starts reading the file ahead (once): the reader thread fills the ring. */
    synchronized void start() throws CaptureException {
      if (failure != null) {
        throw failure;
      }
      if (chunks != null || leftCount == consumers) {
        return;
      }
      InputStream in;
      try {
        in = CaptureFileReader.openStream(path);
      } catch (CaptureException e) {
        failure = e;
        throw e;
      }
      if (progress != null) {
        in = progress.counting(in);
      }
      // No more chunks than the file fills: a 1 MB file needs one, not the ring of a big one.
      long fills = (size + chunkSize - 1) / chunkSize;
      ChunkSource.Chunk[] slots =
          new ChunkSource.Chunk[size > 0 ? (int) Math.min(ring, fills) : ring];
      synchronized (spare) {
        for (int i = 0; i < slots.length; i++) {
          ChunkSource.Chunk c = spare.poll();
          slots[i] = c != null ? c : new ChunkSource.Chunk(chunkSize);
        }
      }
      chunks = new SharedChunks(in, name, consumers, slots, this::readNextAhead);
      // Consumers that gave up before the file started must not hold its ring back.
      for (int i = 0; i < consumers; i++) {
        if (left[i]) {
          closeQuietly(chunks.cursor(i));
        }
      }
    }

    /**
     * Once this file is read to its end, the reading ahead goes on into the next file in time
     * order, so the switch to it does not wait for the disk. Starting the next file earlier (when
     * this one was opened) read a second ring ahead: on 1,000 files of 10 MB that measured 10-20%
     * more CPU per byte than one file, the shards reading bytes written longer ago.
     */
    private void readNextAhead() {
      int i = position + 1;
      if (i < byTime.length) {
        try {
          byTime[i].start();
        } catch (CaptureException e) {
          // Kept in the file: the shard that opens it reports it.
        }
      }
    }

    synchronized ChunkSource cursor(int consumer) throws CaptureException {
      start();
      return chunks.cursor(consumer);
    }

    /** Consumer {@code i} is done with the file; once all are, its buffers go. */
    synchronized void leave(int consumer) {
      if (left[consumer]) {
        return;
      }
      left[consumer] = true;
      if (chunks != null) {
        closeQuietly(chunks.cursor(consumer));
      }
      if (++leftCount == consumers && chunks != null) {
        ChunkSource.Chunk[] slots = chunks.reusableSlots();
        if (slots != null) {
          synchronized (spare) {
            spare.addAll(Arrays.asList(slots));
          }
        }
        chunks = null;
      }
    }
  }

  /**
   * Finds each file's first packet (a read of its first bytes) and orders the files by it; a file
   * that is not a capture fails here, with the message it would fail with when read.
   */
  CaptureFiles(List<Path> paths, int consumers, int chunkSize, int ring, ReplayProgress progress)
      throws CaptureException {
    this.consumers = consumers;
    this.chunkSize = chunkSize;
    this.ring = ring;
    this.progress = progress;
    this.opened = new int[consumers];
    byTime = new File[paths.size()];
    for (int i = 0; i < byTime.length; i++) {
      Path p = paths.get(i);
      // Only files are probed: a pipe (standard input, a FIFO) would lose what the probe read.
      // A pipe, and a file alone, is opened at once, as every file was before.
      boolean probe = paths.size() > 1 && Files.isRegularFile(p);
      long first = probe ? CaptureFileReader.firstPacketNanos(p) : Long.MIN_VALUE;
      long size;
      try {
        size = Files.isRegularFile(p) ? Files.size(p) : 0;
      } catch (IOException e) {
        size = 0;
      }
      byTime[i] = new File(p, i, first, size);
    }
    Arrays.sort(
        byTime, Comparator.comparingLong((File f) -> f.first).thenComparingInt(f -> f.given));
    for (int i = 0; i < byTime.length; i++) {
      byTime[i].position = i;
    }
  }

  /** Waits until {@code consumer} may open file {@code f}: not too far ahead of the others. */
  private synchronized void awaitTurn(int consumer, int f) throws CaptureException {
    while (f >= slowest(consumer) + ring) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CaptureException("interrupted");
      }
    }
    opened[consumer] = f + 1;
    notifyAll();
  }

  /** The fewest files opened by a consumer other than {@code consumer}. */
  private int slowest(int consumer) {
    int min = Integer.MAX_VALUE - ring;
    for (int i = 0; i < opened.length; i++) {
      if (i != consumer) {
        min = Math.min(min, opened[i]);
      }
    }
    return min;
  }

  /** {@code consumer} reads no more: nobody waits for it. */
  private synchronized void done(int consumer) {
    opened[consumer] = Integer.MAX_VALUE - ring;
    notifyAll();
  }

  /** The packets of every file, in time order, for consumer {@code i} (one per shard). */
  Reader reader(int consumer) {
    return new Reader(consumer);
  }

  /**
   * One consumer's merge. Each packet is the earliest head among the open files (ties: the file
   * given first); before each pick, every file whose first packet would win is opened.
   */
  final class Reader implements PacketSource {
    private final int consumer;

    /** Positions in {@link #byTime} of the open files, and their next packets. */
    private final int[] open;

    private final CaptureFileReader[] readers;
    private final Packet[] heads;
    private int openCount;

    /** The next file in time order not opened yet. */
    private int next;

    private final String[] warnings;
    private String current;

    /** Index in {@link #open} of the head returned last, or -1. */
    private int last = -1;

    private Reader(int consumer) {
      this.consumer = consumer;
      this.open = new int[byTime.length];
      this.readers = new CaptureFileReader[byTime.length];
      this.heads = new Packet[byTime.length];
      this.warnings = new String[byTime.length];
      this.current = byTime.length > 0 ? byTime[0].name : "";
    }

    @Override
    public Packet next() throws CaptureException {
      if (last >= 0) {
        // The head returned last time is a view into its reader's buffer: advance that reader
        // only now that the caller is done with it.
        advance(last);
        last = -1;
      }
      // One pick a packet: with one file open (a rotated set) it is that file, and the test for
      // the next file is one comparison.
      int k = openCount == 0 ? -1 : pick();
      while (next < byTime.length && (k < 0 || before(next, open[k]))) {
        openNext();
        k = openCount == 0 ? -1 : pick();
      }
      if (k < 0) {
        return null;
      }
      last = k;
      current = byTime[open[k]].name;
      return heads[open[k]];
    }

    /** Whether file {@code a}'s first packet comes before file {@code b}'s head. */
    private boolean before(int a, int b) {
      long ta = byTime[a].first;
      long tb = heads[b].nanos();
      return ta < tb || (ta == tb && byTime[a].given < byTime[b].given);
    }

    /** Index in {@link #open} of the earliest head. */
    private int pick() {
      int best = 0;
      for (int k = 1; k < openCount; k++) {
        Packet h = heads[open[k]];
        Packet b = heads[open[best]];
        if (h.nanos() < b.nanos()
            || (h.nanos() == b.nanos() && byTime[open[k]].given < byTime[open[best]].given)) {
          best = k;
        }
      }
      return best;
    }

    private void openNext() throws CaptureException {
      int f = next++;
      awaitTurn(consumer, f);
      File file = byTime[f];
      CaptureFileReader r = CaptureFileReader.open(file.name, file.cursor(consumer));
      readers[f] = r;
      heads[f] = r.next();
      if (heads[f] == null) {
        finish(f);
      } else {
        open[openCount++] = f;
      }
    }

    private void advance(int k) throws CaptureException {
      int f = open[k];
      heads[f] = readers[f].next();
      if (heads[f] == null) {
        open[k] = open[--openCount];
        finish(f);
      }
    }

    private void finish(int f) {
      warnings[byTime[f].given] = readers[f].warning();
      readers[f].close();
      readers[f] = null;
      byTime[f].leave(consumer);
    }

    /** The file of the packet returned last. */
    @Override
    public String name() {
      return current;
    }

    /** How reading each file ended, in the order the files were given. */
    @Override
    public List<String> warnings() {
      List<String> out = new ArrayList<>();
      for (String w : warnings) {
        if (w != null) {
          out.add(w);
        }
      }
      return out;
    }

    /** Closes what is open and gives up the files not read yet, so no reader waits for us. */
    @Override
    public void close() {
      done(consumer);
      for (int k = 0; k < openCount; k++) {
        CaptureFileReader r = readers[open[k]];
        if (r != null) {
          r.close();
        }
      }
      openCount = 0;
      last = -1;
      for (File f : byTime) {
        f.leave(consumer);
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // read-only
    }
  }
}
