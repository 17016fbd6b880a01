package dev.zkdigest.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * A user's test class run by JUnit itself (the test kit): a test that breaks a budget fails with a
 * message naming the rule, the measured value and the report, and its report is printed to the
 * test's output; a test that passes prints nothing.
 */
class FailedTestReportTest {
  static Path reports;
  static Path budget;

  /** What a user writes; run only through the test kit below (surefire skips nested classes). */
  static class UserTests {
    @RegisterExtension
    static ZkDigestExtension zk =
        ZkDigestExtension.embedded().reportsTo(FailedTestReportTest.reports);

    @Test
    void readsTooOften() throws Exception {
      try (ZooKeeper client = ZkDigestExtensionTest.connect(zk.connectString())) {
        for (int i = 0; i < 3; i++) {
          client.exists("/config", false);
        }
      }
      zk.assertWithin(budget);
    }

    @Test
    void staysQuiet() throws Exception {
      try (ZooKeeper client = ZkDigestExtensionTest.connect(zk.connectString())) {
        client.exists("/config", false);
      }
      zk.assertWithin(budget);
    }
  }

  @Test
  void aBrokenBudgetFailsTheTestNamingRuleValueAndReportAndPrintsTheReport(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    // given: a budget of two exists calls on /config
    reports = dir.resolve("reports");
    budget =
        Files.writeString(dir.resolve("budget.txt"), "calls * <= 100\ncalls exists /config <= 2\n");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    Events tests;
    // when
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      tests =
          EngineTestKit.engine("junit-jupiter")
              .selectors(selectClass(UserTests.class))
              .execute()
              .testEvents();
    } finally {
      System.setOut(stdout);
    }
    // then
    assertThat(tests.succeeded().count()).isEqualTo(1);
    assertThat(tests.failed().count()).isEqualTo(1);
    Throwable failure =
        tests.failed().stream()
            .findFirst()
            .orElseThrow()
            .getPayload(org.junit.platform.engine.TestExecutionResult.class)
            .orElseThrow()
            .getThrowable()
            .orElseThrow();
    Path report = reports.resolve(UserTests.class.getName()).resolve("readsTooOften.txt");
    assertThat(failure)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("zkdigest budget " + budget + ": 1 of 2 rules broken")
        .hasMessageContaining("line 2: calls exists /config <= 2: measured 3")
        .hasMessageContaining("report: " + TestReports.show(report));
    assertThat(report).exists();
    assertThat(Files.readString(report)).contains("# Budget " + budget + ": 1 of 2 rules broken");
    assertThat(reports.resolve(UserTests.class.getName()).resolve("staysQuiet.json")).exists();
    // and the page beside them, with the broken budget's verdict on it
    Path page = reports.resolve(UserTests.class.getName()).resolve("readsTooOften.html");
    assertThat(Files.readString(page))
        .startsWith("<!DOCTYPE html>")
        .contains("1 of 2 rules broken")
        .contains("exists /config");
    String out = captured.toString(StandardCharsets.UTF_8);
    assertThat(out)
        .contains("zkdigest: ZooKeeper traffic of " + UserTests.class.getName() + "#readsTooOften")
        .contains("# Overall: ")
        .contains("#    2 BROKEN")
        .doesNotContain("#staysQuiet");
  }
}
