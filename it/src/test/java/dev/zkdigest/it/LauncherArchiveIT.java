package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The launcher's class-data archives (README, BENCHMARKS.md start-up): made in the user's cache on
 * first use (one run records, the next builds), then mapped by the JVM, on JDK 17 (AppCDS) and on a
 * JDK 24+ (AOT cache) when one is installed. Whatever happens to the cache, the report is the same
 * as without an archive and nothing is added to standard error.
 */
class LauncherArchiveIT {
  @TempDir Path dir;

  /** The JDK running the tests (17, the baseline) and a JDK 24 or later if the machine has one. */
  static Stream<String> jdks() throws IOException {
    List<String> homes = new ArrayList<>(List.of(System.getProperty("java.home")));
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> s = Files.list(jvms)) {
        s.filter(p -> p.getFileName().toString().matches(".*-2[4-9]([.-].*)?"))
            .filter(p -> Files.isExecutable(p.resolve("bin/java")))
            .sorted()
            .reduce((a, b) -> b)
            .ifPresent(p -> homes.add(p.toString()));
      }
    }
    return homes.stream();
  }

  private int runs;

  private Launched replay(String javaHome, Path cache, String javaOpts) throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", javaHome);
    env.put("XDG_CACHE_HOME", cache.toString());
    if (javaOpts != null) {
      env.put("JAVA_OPTS", javaOpts);
    }
    Path capture = Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap");
    Launched l =
        Launched.startWith(
            dir, "run" + runs++, env, "replay", capture.toString(), "--format", "json");
    assertThat(l.exitCode()).as(l.err()).isZero();
    assertThat(l.err()).isEmpty();
    return l;
  }

  /** The counts published for dump.pcap in captures/README.md. */
  private static void assertPublishedCounts(JsonNode json) {
    assertThat(json.at("/ops/exists/requests").asLong()).isEqualTo(5);
    assertThat(json.at("/ops/ping/requests").asLong()).isEqualTo(3);
    assertThat(json.at("/ops/getChildren/requests").asLong()).isEqualTo(2);
    assertThat(json.at("/ops/create/requests").asLong()).isEqualTo(1);
    assertThat(json.at("/ops/getData/requests").asLong()).isEqualTo(1);
    assertThat(json.at("/ops/setData/requests").asLong()).isEqualTo(1);
    assertThat(json.at("/summary/responses").asLong()).isEqualTo(13);
    assertThat(json.at("/summary/unmatched_responses").asLong()).isZero();
    assertThat(json.at("/events/NodeDataChanged").asLong()).isEqualTo(1);
  }

  private static List<String> files(Path cache, String glob) throws IOException {
    Path d = cache.resolve("zkdigest");
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(d)) {
      try (var s = Files.newDirectoryStream(d, glob)) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    }
    return names;
  }

  private static Path archive(Path cache) throws IOException {
    List<String> made = files(cache, "*-replay.{jsa,aot}");
    assertThat(made).hasSize(1);
    return cache.resolve("zkdigest").resolve(made.get(0));
  }

  /** Where the JVM says zkdigest's main class came from, in its class+load log. */
  private static String mainClassSource(Path log) throws IOException {
    return Files.readAllLines(log).stream()
        .filter(l -> l.contains(" dev.zkdigest.cli.Main source: "))
        .findFirst()
        .orElseThrow();
  }

  private byte[] withoutArchive(String javaHome) throws Exception {
    Map<String, String> env = Map.of("JAVA_HOME", javaHome, "ZKDIGEST_CDS", "0");
    Path capture = Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap");
    Launched l =
        Launched.startWith(dir, "off", env, "replay", capture.toString(), "--format", "json");
    assertThat(l.exitCode()).as(l.err()).isZero();
    assertPublishedCounts(l.json());
    return l.outBytes();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void archiveIsRecordedThenBuiltThenMappedAndTheReportIsTheSame(String javaHome) throws Exception {
    // given
    Path cache = dir.resolve("cache");
    byte[] expected = withoutArchive(javaHome);
    // when: the first run records the classes it loads
    Launched first = replay(javaHome, cache, null);
    // then
    assertThat(files(cache, "*-replay.rec.*")).hasSize(1);
    assertThat(files(cache, "*-replay.{jsa,aot}")).isEmpty();
    // when: the second builds the archive, then runs with it
    Launched second = replay(javaHome, cache, null);
    // then
    Path archive = archive(cache);
    assertThat(files(cache, "*.rec.*")).isEmpty();
    // when: a third run, with the JVM's own account of where it loaded classes from
    Path log = dir.resolve("class-load.log");
    Launched third = replay(javaHome, cache, "-Xlog:class+load=info:file=" + log);
    // then
    assertThat(mainClassSource(log)).endsWith("source: shared objects file");
    assertThat(archive(cache)).isEqualTo(archive);
    for (Launched l : List.of(first, second, third)) {
      assertThat(l.outBytes()).isEqualTo(expected);
    }

    // when: another subcommand gets its own archive, which leaves replay's alone
    Path report = Files.write(dir.resolve("report.json"), expected);
    Map<String, String> env = Map.of("JAVA_HOME", javaHome, "XDG_CACHE_HOME", cache.toString());
    for (int i = 0; i < 3; i++) {
      Launched diff =
          Launched.startWith(dir, "diff" + i, env, "diff", report.toString(), report.toString());
      assertThat(diff.exitCode()).as(diff.err()).isZero();
      assertThat(diff.err()).isEmpty();
    }
    // then
    assertThat(files(cache, "*-diff.{jsa,aot}")).hasSize(1);
    assertThat(archive(cache)).isEqualTo(archive);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aCorruptArchiveIsIgnoredSilently(String javaHome) throws Exception {
    // given: an archive made, then overwritten in its header (where, unchecked, JDK 25.0.3
    // crashed), then in its middle, then cut short
    Path cache = dir.resolve("cache");
    byte[] expected = withoutArchive(javaHome);
    replay(javaHome, cache, null);
    replay(javaHome, cache, null);
    Path archive = archive(cache);
    archive.toFile().setWritable(true);
    byte[] good = Files.readAllBytes(archive);
    List<Launched> runs = new ArrayList<>();
    Path log = dir.resolve("corrupt.log");
    for (int at : new int[] {100, good.length / 2}) {
      byte[] bad = good.clone();
      for (int i = at; i < at + 16; i++) {
        bad[i] ^= (byte) 0x5a;
      }
      Files.write(archive, bad);
      // when
      runs.add(replay(javaHome, cache, at == 100 ? "-Xlog:class+load=info:file=" + log : null));
    }
    Files.write(archive, java.util.Arrays.copyOf(good, 100));
    runs.add(replay(javaHome, cache, null));
    // then: the JVM refused the archive, and the reports are right
    assertThat(mainClassSource(log)).doesNotContain("shared objects file");
    for (Launched l : runs) {
      assertThat(l.outBytes()).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aBrokenRecordingOrAnUnusableCacheStillRuns(String javaHome) throws Exception {
    byte[] expected = withoutArchive(javaHome);
    // given: a cache below a regular file, where no directory can be made
    Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
    // when, then
    assertThat(replay(javaHome, file.resolve("cache"), null).outBytes()).isEqualTo(expected);

    // given: a recording left by a run that died (no process has a pid above pid_max),
    // holding garbage
    Path cache = dir.resolve("cache");
    replay(javaHome, cache, null);
    List<String> rec = files(cache, "*-replay.rec.*");
    assertThat(rec).hasSize(1);
    Path d = cache.resolve("zkdigest");
    String dead = rec.get(0).replaceAll("\\.rec\\.\\d+$", ".rec.99999999");
    Files.move(d.resolve(rec.get(0)), d.resolve(dead));
    Files.writeString(d.resolve(dead), "not a class list\n\0\0\0garbage");
    // when: the next run tries to build from it, then the one after
    Launched building = replay(javaHome, cache, null);
    Launched after = replay(javaHome, cache, null);
    // then
    assertThat(building.outBytes()).isEqualTo(expected);
    assertThat(after.outBytes()).isEqualTo(expected);
    assertThat(files(cache, "*.build.*")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void concurrentFirstRunsAllReportAndLeaveOneArchive(String javaHome) throws Exception {
    // given
    Path cache = dir.resolve("cache");
    byte[] expected = withoutArchive(javaHome);
    Path capture = Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap");
    Map<String, String> env = Map.of("JAVA_HOME", javaHome, "XDG_CACHE_HOME", cache.toString());
    // when: four first runs at once, then four more at once (which find their recordings)
    for (int round = 0; round < 2; round++) {
      List<Launched> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(
            Launched.startWith(
                dir, "c" + round + i, env, "replay", capture.toString(), "--format", "json"));
      }
      // then
      for (Launched l : all) {
        assertThat(l.exitCode()).as(l.err()).isZero();
        assertThat(l.err()).isEmpty();
        assertThat(l.outBytes()).isEqualTo(expected);
      }
    }
    // One more run, in case the second round only found recordings still being made.
    replay(javaHome, cache, null);
    archive(cache);
    assertThat(files(cache, "*.{build,jsa.,aot.}*")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void zkdigestCdsZeroMakesNothing(String javaHome) throws Exception {
    Path cache = dir.resolve("cache");
    Map<String, String> env =
        Map.of("JAVA_HOME", javaHome, "XDG_CACHE_HOME", cache.toString(), "ZKDIGEST_CDS", "0");
    Path capture = Path.of(System.getProperty("zkdigest.shared"), "captures", "dump.pcap");
    Launched l = Launched.startWith(dir, "off0", env, "replay", capture.toString());
    assertThat(l.exitCode()).as(l.err()).isZero();
    assertThat(l.err()).isEmpty();
    assertThat(files(cache, "*")).isEmpty();
  }
}
