package dev.zkdigest.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.digest.Digest;
import dev.zkdigest.protocol.ProtocolConfig;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Randomly damaged captures: the only thing allowed out is a CaptureException with a message. */
class CorruptCaptureTest {

  private static void replay(String name, byte[] bytes) {
    Digest d = new Digest();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, d);
    try {
      CaptureReplay.runSources(
          List.of(CaptureFileReader.open(name, new ByteArrayInputStream(bytes))), t);
    } catch (CaptureException e) {
      assertThat(e.getMessage()).startsWith(name + ":").doesNotContain("\n");
    }
  }

  @Test
  void randomlyDamagedCapturesNeverThrowAnythingElse() throws Exception {
    Random rnd = new Random(99);
    for (String name :
        new String[] {"dump.pcap", "setwatches.pcap", "fire_watches.pcap", "omni.pcap"}) {
      byte[] good = Files.readAllBytes(SharedCaptures.file(name));
      for (int i = 0; i < 400; i++) {
        byte[] bad =
            Arrays.copyOf(good, rnd.nextInt(10) == 0 ? rnd.nextInt(good.length) : good.length);
        int flips = 1 + rnd.nextInt(20);
        for (int f = 0; f < flips && bad.length > 0; f++) {
          bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
        }
        replay(name, bad);
      }
    }
  }

  @Test
  void pcapngBlockLengthsThatLieAreCorruptNotFatal() throws Exception {
    // An SHB, then an EPB whose length runs past the end of the file.
    byte[] f = {
      0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, -1, -1, -1, -1, -1,
      -1, -1, -1, 28, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0
    };
    Digest d = new Digest();
    TcpTracker t = new TcpTracker(ServerMatcher.ports(2181), ProtocolConfig.DEFAULTS, d);
    try {
      CaptureReplay.Result r =
          CaptureReplay.runSources(
              List.of(CaptureFileReader.open("lie.pcapng", new ByteArrayInputStream(f))), t);
      assertThat(r.packets()).isZero();
    } catch (CaptureException e) {
      assertThat(e.getMessage()).contains("corrupt pcapng block");
    }
  }
}
