package dev.zkdigest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayThreadsTest {
  private static final int CORES = Math.min(8, Runtime.getRuntime().availableProcessors());

  @TempDir Path dir;

  private Path sparse(String name, long bytes) throws Exception {
    Path f = dir.resolve(name);
    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
      r.setLength(bytes);
    }
    return f;
  }

  @Test
  void capturesUnder192MiBInAllReplayOnOneThreadByDefault() throws Exception {
    Path a = sparse("a.pcap", 100L << 20);
    Path b = sparse("b.pcap", 91L << 20);
    assertThat(ReplayCommand.defaultThreads(List.of(a, b))).isEqualTo(1);
  }

  @Test
  void largerCapturesUseTheCoresUpToEight() throws Exception {
    Path a = sparse("a.pcap", 100L << 20);
    Path b = sparse("b.pcap", 92L << 20);
    assertThat(ReplayCommand.defaultThreads(List.of(a, b))).isEqualTo(CORES);
  }

  @Test
  void standardInputAndMissingFilesCountAsLarge() throws Exception {
    assertThat(ReplayCommand.defaultThreads(List.of(Path.of("-")))).isEqualTo(CORES);
    Path missing = dir.resolve("missing.pcap");
    assertThat(Files.exists(missing)).isFalse();
    assertThat(ReplayCommand.defaultThreads(List.of(missing))).isEqualTo(CORES);
  }
}
