package dev.zkdigest.sniffer;

import dev.zkdigest.capture.CaptureException;
import dev.zkdigest.capture.PacketDecoder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * Points pcap4j at the system's libpcap. JNA looks for the unversioned {@code libpcap.so}, which
 * Debian ships only with {@code libpcap0.8-dev}; the runtime package has {@code libpcap.so.0.8}.
 */
final class LibPcap {
  private static final String PROPERTY = "org.pcap4j.core.pcapLibName";

  /** How long libpcap waits to fill a block before handing over what it has. */
  private static final int READ_TIMEOUT_MILLIS = 100;

  private LibPcap() {}

  static void locate() {
    if (System.getProperty(PROPERTY) != null) {
      return;
    }
    for (String dir :
        new String[] {
          "/usr/lib/x86_64-linux-gnu",
          "/usr/lib/aarch64-linux-gnu",
          "/usr/lib64",
          "/usr/lib",
          "/lib/x86_64-linux-gnu"
        }) {
      if (Files.exists(Path.of(dir, "libpcap.so"))) {
        return; // JNA finds it by itself
      }
      Path versioned = Path.of(dir, "libpcap.so.0.8");
      if (Files.exists(versioned)) {
        System.setProperty(PROPERTY, versioned.toString());
        return;
      }
      Path one = Path.of(dir, "libpcap.so.1");
      if (Files.exists(one)) {
        System.setProperty(PROPERTY, one.toString());
        return;
      }
    }
  }

  /** A one-line explanation of why capture could not start, with what to do about it. */
  static String explain(String iface, Throwable e) {
    String m = String.valueOf(e.getMessage());
    String lower = m.toLowerCase(java.util.Locale.ROOT);
    if (e instanceof UnsatisfiedLinkError
        || e instanceof NoClassDefFoundError
        || lower.contains("unable to load library")) {
      return "libpcap was not found: install it (Debian/Ubuntu: apt-get install libpcap0.8)";
    }
    if (lower.contains("permission") || lower.contains("not permitted")) {
      return "no permission to capture on "
          + iface
          + ": run as root, or give java the"
          + " capabilities: sudo setcap cap_net_raw,cap_net_admin=eip \"$(readlink -f \"$(command"
          + " -v java)\")\"";
    }
    if (lower.contains("no such device")
        || lower.contains("doesn't exist")
        || lower.contains("not found")) {
      return "no such interface: " + iface + " (zkdigest sniff --list shows them)";
    }
    int nl = m.indexOf('\n');
    return "cannot capture on " + iface + ": " + (nl >= 0 ? m.substring(0, nl) : m);
  }

  /**
   * Opens {@code opts.iface()} with the filter set and a link type the decoder reads; one-line
   * messages for every way it can fail. Block delivery (TPACKET_V3) rather than immediate mode:
   * measured no kernel drops at 50k messages/s on loopback, where immediate mode dropped ~900 in 10
   * s.
   */
  static PcapHandle open(LiveCapture.Options opts) throws CaptureException {
    locate();
    PcapHandle handle;
    try {
      handle =
          new PcapHandle.Builder(opts.iface())
              .snaplen(opts.snaplen())
              .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
              .timeoutMillis(READ_TIMEOUT_MILLIS)
              .bufferSize(opts.bufferSize())
              .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
              .immediateMode(false)
              .build();
    } catch (PcapNativeException | RuntimeException | LinkageError e) {
      throw new CaptureException(explain(opts.iface(), e));
    }
    try {
      handle.setFilter(opts.filter(), BpfProgram.BpfCompileMode.OPTIMIZE);
    } catch (Exception e) {
      handle.close();
      throw new CaptureException("bad capture filter '" + opts.filter() + "': " + e.getMessage());
    }
    if (!PacketDecoder.supportsLinkType(handle.getDlt().value())) {
      int dlt = handle.getDlt().value();
      handle.close();
      throw new CaptureException(opts.iface() + ": link type " + dlt + " is not supported");
    }
    return handle;
  }
}
