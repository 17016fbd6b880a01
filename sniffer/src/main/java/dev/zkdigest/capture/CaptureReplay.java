package dev.zkdigest.capture;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays capture files through a {@link TcpTracker} as one timeline: packets from several files
 * are merged by timestamp. Holds one packet per file at a time.
 */
public final class CaptureReplay {

  /** What reading the files came to. */
  public record Result(long packets, long tcpSegments, long otherPackets, List<String> warnings) {}

  private CaptureReplay() {}

  public static Result run(List<Path> files, TcpTracker tracker) throws CaptureException {
    List<PacketSource> sources = new ArrayList<>();
    try {
      for (Path f : files) {
        sources.add(CaptureFileReader.open(f));
      }
      return runSources(sources, tracker);
    } finally {
      for (PacketSource s : sources) {
        try {
          s.close();
        } catch (java.io.IOException ignored) {
          // read-only
        }
      }
    }
  }

  public static Result runSources(List<PacketSource> sources, TcpTracker tracker)
      throws CaptureException {
    int n = sources.size();
    Packet[] head = new Packet[n];
    for (int i = 0; i < n; i++) {
      head[i] = sources.get(i).next();
    }
    TcpSegment seg = new TcpSegment();
    long packets = 0;
    long other = 0;
    while (true) {
      int pick = -1;
      for (int i = 0; i < n; i++) {
        if (head[i] != null && (pick < 0 || head[i].nanos() < head[pick].nanos())) {
          pick = i;
        }
      }
      if (pick < 0) {
        break;
      }
      Packet p = head[pick];
      if (!PacketDecoder.supportsLinkType(p.linkType())) {
        throw new CaptureException(
            sources.get(pick).name()
                + ": link type "
                + p.linkType()
                + " is not supported (Ethernet, Linux cooked v1/v2, BSD loopback and raw IP are)");
      }
      packets++;
      if (PacketDecoder.decode(p, seg)) {
        tracker.segment(seg);
      } else {
        other++;
      }
      head[pick] = sources.get(pick).next();
    }
    tracker.finish();
    List<String> warnings = new ArrayList<>();
    for (PacketSource s : sources) {
      if (s.warning() != null) {
        warnings.add(s.warning());
      }
    }
    return new Result(packets, tracker.segments(), other, warnings);
  }
}
