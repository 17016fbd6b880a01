package dev.zkdigest.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.findings.Finding;
import dev.zkdigest.protocol.KeeperErrors;
import dev.zkdigest.protocol.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The budget file format as README.md specifies it, and a one-line error for every mistake. */
class BudgetParserTest {
  @TempDir Path dir;

  private static final String README_EXAMPLE =
      """
      calls    getChildren /app/locks/*   <= 5        # op, optional path glob over raw paths
      calls    *                          <= 20000     # every op
      errors   NONODE                     == 0        # an error code across ops, or op:CODE
      errors   create:NODEEXISTS          <= 10
      p99      getData                    <= 20ms     # p50, p95, p99, max; units us, ms, s
      bytes    getChildren2               <= 10MiB    # request + response bytes
      finding  herd                       == 0        # findings of a kind
      """;

  @Test
  void readsEveryRuleOfTheReadmeExample() {
    Budget b = Budget.parse("budget.txt", README_EXAMPLE);
    assertThat(b.rules()).hasSize(7);
    assertThat(b.rules().get(0).quantity())
        .isEqualTo(new Quantity.Calls(Op.GET_CHILDREN, PathGlob.of("/app/locks/*")));
    assertThat(b.rules().get(0).comparison()).isEqualTo(Comparison.AT_MOST);
    assertThat(b.rules().get(0).limit()).isEqualTo(5);
    assertThat(b.rules().get(0).line()).isEqualTo(1);
    assertThat(b.rules().get(1).quantity()).isEqualTo(new Quantity.Calls(null, null));
    assertThat(b.rules().get(1).limit()).isEqualTo(20_000);
    assertThat(b.rules().get(2).quantity())
        .isEqualTo(new Quantity.Errors(null, KeeperErrors.NONODE));
    assertThat(b.rules().get(2).comparison()).isEqualTo(Comparison.EQUAL);
    assertThat(b.rules().get(3).quantity()).isEqualTo(new Quantity.Errors(Op.CREATE, -110));
    assertThat(b.rules().get(4).quantity())
        .isEqualTo(new Quantity.ResponseTime(Op.GET_DATA, Quantity.Percentile.P99));
    assertThat(b.rules().get(4).limit()).isEqualTo(20_000);
    assertThat(b.rules().get(5).limit()).isEqualTo(10L * 1024 * 1024);
    assertThat(b.rules().get(6).quantity()).isEqualTo(new Quantity.FindingCount(Finding.Kind.HERD));
    assertThat(b.rules().get(6).text()).isEqualTo("finding  herd                       == 0");
  }

  @Test
  void unitsOfTimeAndSize() {
    assertThat(Unit.MICROS.parse("250us")).isEqualTo(250);
    assertThat(Unit.MICROS.parse("1.5ms")).isEqualTo(1_500);
    assertThat(Unit.MICROS.parse("2s")).isEqualTo(2_000_000);
    assertThat(Unit.BYTES.parse("512")).isEqualTo(512);
    assertThat(Unit.BYTES.parse("64KiB")).isEqualTo(65_536);
    assertThat(Unit.BYTES.parse("5MB")).isEqualTo(5_000_000);
    assertThat(Unit.BYTES.parse("1GiB")).isEqualTo(1L << 30);
    assertThat(Unit.MICROS.format(23_551)).isEqualTo("23.551ms");
    assertThat(Unit.BYTES.format(10L * 1024 * 1024)).isEqualTo("10MiB");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "cals getData <= 5 | b.txt:3: unknown metric 'cals': expected calls, errors, p50, p95,"
            + " p99, p999, max, bytes or finding",
        "calls getdata <= 5 | b.txt:3: unknown op 'getdata': did you mean getData?",
        "calls frobnicate <= 5 | b.txt:3: unknown op 'frobnicate': expected ZooKeeper's name of"
            + " an op, e.g. getData, getChildren2, create2, or *",
        "errors NONOD == 0 | b.txt:3: unknown error code 'NONOD': expected ZooKeeper's name of a"
            + " code, e.g. NONODE, NODEEXISTS, BADVERSION",
        "errors nonode == 0 | b.txt:3: unknown error code 'nonode': did you mean NONODE?",
        "errors create:OK == 0 | b.txt:3: unknown error code 'OK': expected ZooKeeper's name of a"
            + " code, e.g. NONODE, NODEEXISTS, BADVERSION",
        "finding herds == 0 | b.txt:3: unknown finding kind 'herds': expected herd, polling,"
            + " hot_znode, large_payload, session_churn, error_storm, slow_period or *",
        "p99 getData <= 20 | b.txt:3: a response time needs a unit: us, ms or s, got '20'",
        "p99 getData <= 20min | b.txt:3: unknown unit 'min' in '20min': us, ms or s",
        "calls getData <= 5.5 | b.txt:3: expected a whole number, got '5.5'",
        "calls getData =< 5 | b.txt:3: expected a comparison (<=, <, ==, >=, >) before the value,"
            + " got '=<' in 'calls getData =< 5'",
        "calls getData app/* <= 5 | b.txt:3: a path glob starts with '/': 'app/*'",
        "calls <= 5 | b.txt:3: 'calls' needs what it applies to (an op, or *), e.g. 'calls"
            + " getData /app/* <= 100'",
        "calls getData | b.txt:3: expected METRIC TARGET COMPARISON VALUE, e.g. 'calls getData"
            + " /app/* <= 100'; got 'calls getData'",
        "bytes getData <= 10XB | b.txt:3: unknown unit 'XB' in '10XB': B, KiB, MiB, GiB (or kB,"
            + " MB, GB)",
        "errors NONODE BADVERSION == 0 | b.txt:3: 'errors' takes one target (an error code,"
            + " op:CODE, or *), got NONODE BADVERSION",
      })
  void aMistakeIsOneLineNamingTheFileAndLine(String line, String message) {
    String text = "# a budget\ncalls * <= 100\n" + line + "\n";
    assertThatThrownBy(() -> Budget.parse("b.txt", text))
        .isInstanceOf(BudgetException.class)
        .hasMessage(message);
  }

  @Test
  void aFileWithoutRulesIsAMistake() {
    assertThatThrownBy(() -> Budget.parse("b.txt", "# nothing here\n\n"))
        .hasMessage("b.txt: no rules");
  }

  @Test
  void missingOrUnreadableFilesAreOneLine() throws Exception {
    Path missing = dir.resolve("nope.txt");
    assertThatThrownBy(() -> Budget.read(missing)).hasMessage(missing + ": no such file");
    assertThatThrownBy(() -> Budget.read(dir))
        .hasMessage(dir + ": is a directory, not a budget file");
    Path binary = Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0});
    assertThatThrownBy(() -> Budget.read(binary)).hasMessage(binary + ": not a text file (UTF-8)");
  }
}
