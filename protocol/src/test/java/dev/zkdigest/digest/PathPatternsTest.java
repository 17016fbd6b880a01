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
        "/hbase/rs/host1.example.com,16020,1700000000000|/hbase/rs/host1.example.com,16020,{seq}",
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
}
