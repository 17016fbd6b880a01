package dev.zkdigest.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escapesTheCharactersThatEndTextOrAttributes() {
    assertThat(Html.escape("</script><b onload=\"x\" a='y'>&amp;"))
        .isEqualTo("&lt;/script&gt;&lt;b onload=&quot;x&quot; a=&#39;y&#39;&gt;&amp;amp;");
  }

  @Test
  void leavesPlainAsciiAlone() {
    String s = "/app/locks/lock-0000000001 {seq} 10.0.0.1:2181";
    assertThat(Html.escape(s)).isSameAs(s);
  }

  @Test
  void writesNonAsciiAsReferencesSoThePageIsAscii() {
    assertThat(Html.escape("/caf\u00e9/\uD83D\uDE00")).isEqualTo("/caf&#xE9;/&#x1F600;");
  }

  @Test
  void replacesControlCharactersAndLoneSurrogates() {
    assertThat(Html.escape("a\u0000b\u001bc\u0085d\uD800e\tf\ng"))
        .isEqualTo("a&#xFFFD;b&#xFFFD;c&#xFFFD;d&#xFFFD;e\tf\ng");
  }

  @Test
  void nullIsEmpty() {
    assertThat(Html.escape(null)).isEmpty();
  }
}
