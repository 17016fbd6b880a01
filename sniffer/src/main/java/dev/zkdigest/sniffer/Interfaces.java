package dev.zkdigest.sniffer;

import dev.zkdigest.capture.CaptureException;
import java.util.ArrayList;
import java.util.List;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.Pcaps;

/** {@code zkdigest sniff --list}: the interfaces libpcap can capture on, with addresses. */
public final class Interfaces {
  private Interfaces() {}

  public static List<String> describe() throws CaptureException {
    LibPcap.locate();
    List<PcapNetworkInterface> all;
    try {
      all = Pcaps.findAllDevs();
    } catch (Exception | LinkageError e) {
      throw new CaptureException(LibPcap.explain("any interface", e));
    }
    List<String> lines = new ArrayList<>();
    for (PcapNetworkInterface i : all) {
      StringBuilder sb = new StringBuilder(i.getName());
      List<String> addrs = new ArrayList<>();
      for (PcapAddress a : i.getAddresses()) {
        if (a.getAddress() != null) {
          addrs.add(a.getAddress().getHostAddress());
        }
      }
      if (!addrs.isEmpty()) {
        sb.append("  ").append(String.join(", ", addrs));
      }
      if (i.getDescription() != null) {
        sb.append("  (").append(i.getDescription()).append(')');
      }
      if (i.isLoopBack()) {
        sb.append("  [loopback]");
      }
      lines.add(sb.toString());
    }
    return lines;
  }
}
