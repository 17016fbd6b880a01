package dev.zkdigest.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PathGlobTest {
  @Test
  void starMatchesWithinOneSegmentOnly() {
    PathGlob g = PathGlob.of("/app/locks/*");
    assertThat(g.matches("/app/locks/lock-0000000001")).isTrue();
    assertThat(g.matches("/app/locks/")).isTrue();
    assertThat(g.matches("/app/locks")).isFalse();
    assertThat(g.matches("/app/locks/a/b")).isFalse();
    assertThat(g.matches("/app/lockss/x")).isFalse();
  }

  @Test
  void doubleStarSegmentMatchesAnyDepthIncludingNone() {
    PathGlob g = PathGlob.of("/app/**");
    assertThat(g.matches("/app")).isTrue();
    assertThat(g.matches("/app/a")).isTrue();
    assertThat(g.matches("/app/a/b/c")).isTrue();
    assertThat(g.matches("/application")).isFalse();
    PathGlob mid = PathGlob.of("/app/**/lock-*");
    assertThat(mid.matches("/app/lock-1")).isTrue();
    assertThat(mid.matches("/app/x/y/lock-1")).isTrue();
    assertThat(mid.matches("/app/xlock-1")).isFalse();
    assertThat(PathGlob.of("/**").matches("/")).isTrue();
    assertThat(PathGlob.of("/**").matches("/zookeeper/quota")).isTrue();
  }

  @Test
  void starsInsideASegmentAndLiteralCharacters() {
    assertThat(PathGlob.of("/app/_c_*-latch-*").matches("/app/_c_8e1f-latch-0000000003")).isTrue();
    assertThat(PathGlob.of("/a.b/c+d").matches("/a.b/c+d")).isTrue();
    assertThat(PathGlob.of("/a.b/c+d").matches("/aXb/c+d")).isFalse();
    assertThat(PathGlob.of("/a/x**").matches("/a/x1/2/3")).isTrue();
    assertThat(PathGlob.of("/").matches("/")).isTrue();
    assertThat(PathGlob.of("/").matches("/a")).isFalse();
  }

  @Test
  void refusesAGlobThatIsNotAPath() {
    assertThatThrownBy(() -> PathGlob.of("app/*"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a path glob starts with '/': 'app/*'");
  }
}
