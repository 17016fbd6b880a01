package dev.zkdigest.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathPatternsTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/|/",
        "/app/config|/app/config",
        "/brokers/ids/17|/brokers/ids/{n}",
        "/app/locks/lock-0000000042|/app/locks/lock-{seq}",
        "/app/locks/_c_8e1f3a2b-1c2d-4e5f-8a9b-0c1d2e3f4a5b-lock-0000000003"
            + "|/app/locks/_c_{uuid}-lock-{seq}",
        "/config/key-13|/config/key-{n}",
        "/sessions/0123456789abcdef0123|/sessions/{hex}",
        "/hbase/rs/host1.example.com,16020,1700000000000|/hbase/rs/host{n}.example.com,{n},{seq}",
        "/load/scratch/x123|/load/scratch/x{n}",
        "/load7/n21|/load{n}/n{n}",
        "/brokers/topics/topic-42/partitions/3/state|/brokers/topics/topic-{n}/partitions/{n}/state",
        "/queue/qn-0000000012|/queue/qn-{seq}",
        "/kafka/brokers/ids/1001|/kafka/brokers/ids/{n}",
        "/a/v2beta|/a/v{n}beta",
        "/dead/deadbeef|/dead/deadbeef",
        "/ids/ab12cd|/ids/ab{n}cd",
        "''|-"
      })
  void foldsVariablePartsOfPaths(String path, String pattern) {
    assertThat(PathPatterns.of(path)).isEqualTo(pattern);
  }

  @ParameterizedTest
  @CsvSource({"/a/b/c", "/zookeeper/quota", "/election"})
  void leavesFixedPathsAlone(String path) {
    assertThat(PathPatterns.of(path)).isEqualTo(path);
  }

  @org.junit.jupiter.api.Test
  void aReusedFolderFoldsLikeAFreshOne() {
    // given: paths of every length up to past the cap, with ids in them
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
    String[] parts = {"a", "lock-", "0000000007", "12", "_c_", "-", "deadbeefdeadbeef1", "x.y", ""};
    PathPatterns.Folder reused = new PathPatterns.Folder();
    for (int k = 0; k < 5_000; k++) {
      StringBuilder p = new StringBuilder();
      int n = rnd.nextInt(120);
      for (int i = 0; i < n; i++) {
        p.append(rnd.nextInt(4) == 0 ? "/" : parts[rnd.nextInt(parts.length)]);
      }
      String path = p.toString();
      // when / then
      String fresh = PathPatterns.of(path);
      assertThat(reused.fold(path).toString()).isEqualTo(fresh);
      assertThat(reused.sameAs(fresh)).isTrue();
      assertThat(fresh.length()).isLessThanOrEqualTo(256 + 3);
    }
  }

  @org.junit.jupiter.api.Test
  void capsVeryLongPaths() {
    String path = "/segment".repeat(100);
    String folded = PathPatterns.of(path);
    assertThat(folded).hasSize(259).endsWith("...").startsWith("/segment/segment");
    assertThat(PathPatterns.of("/" + "z".repeat(60_000))).hasSize(259).endsWith("...");
  }
}
