package dev.zkdigest.it.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.junit.TrafficDigest;
import dev.zkdigest.junit.ZkDigestExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * zkdigest-junit as a user's test suite uses it: a Curator leader-latch service under test, its
 * ZooKeeper traffic digested per test and held to a budget. Expected counts come from Curator's own
 * tracer, not from zkdigest.
 */
class LeaderElectionBudgetIT {
  private static final int INSTANCES = 3;
  private static final Path BUDGETS = Path.of("src/test/resources/LeaderElectionBudgetIT");

  @RegisterExtension static ZkDigestExtension zk = ZkDigestExtension.embedded();

  /** Runs the service and returns what Curator says it sent. */
  private static CuratorCalls runElection() throws Exception {
    try (LeaderElectionApp app = new LeaderElectionApp(zk.connectString(), INSTANCES)) {
      app.rollLeadership();
      return app.calls;
    }
  }

  /** The digest's lists of the election's candidates equal Curator's record, by opcode. */
  static void assertListingsMatch(TrafficDigest d, CuratorCalls curator) {
    assertThat(d.calls("getChildren2", LeaderElectionApp.ELECTION))
        .as("Curator's record: %s", curator)
        .isEqualTo(curator.getChildren2(LeaderElectionApp.ELECTION))
        .isGreaterThanOrEqualTo(INSTANCES);
    assertThat(d.calls("getChildren", LeaderElectionApp.ELECTION))
        .as("Curator's record: %s", curator)
        .isEqualTo(curator.getChildren(LeaderElectionApp.ELECTION));
  }

  @Test
  void leaderElectionStaysWithinItsBudget() throws Exception {
    // when
    CuratorCalls curator = runElection();
    // then: the digest saw what Curator sent...
    TrafficDigest d = zk.digest();
    assertListingsMatch(d, curator);
    assertThat(d.calls("getData", LeaderElectionApp.ELECTION + "/*"))
        .isEqualTo(curator.count("GetDataBuilderImpl", LeaderElectionApp.ELECTION + "/"));
    assertThat(d.sessions()).isEqualTo(INSTANCES);
    // ...and the budget holds
    zk.assertWithin(BUDGETS.resolve("election.budget"));
  }

  @Test
  void aBrokenBudgetNamesTheRuleTheMeasuredValueAndTheReport() throws Exception {
    // given
    CuratorCalls curator = runElection();
    long listed = curator.getChildren2(LeaderElectionApp.ELECTION);
    Path report =
        Path.of(
            "target",
            "zkdigest",
            LeaderElectionBudgetIT.class.getName(),
            "aBrokenBudgetNamesTheRuleTheMeasuredValueAndTheReport.txt");
    // when / then
    Path budget = BUDGETS.resolve("too-strict.budget");
    assertThatThrownBy(() -> zk.assertWithin(budget))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("zkdigest budget " + budget + ": 1 of 2 rules broken")
        .hasMessageContaining(
            "line 3: calls    getChildren2  /app/election     <= 2: measured " + listed)
        .hasMessageContaining("report: " + report);
    assertThat(report).exists();
    assertThat(Files.readString(report))
        .contains("junit of " + LeaderElectionBudgetIT.class.getName())
        .contains("# Budget " + budget + ": 1 of 2 rules broken");
  }

  @Test
  void eachTestSeesOnlyItsOwnTraffic() throws Exception {
    // nothing yet in this test, whatever ran before it
    assertThat(zk.digest().calls("*")).isZero();
    CuratorCalls curator = runElection();
    assertListingsMatch(zk.digest(), curator);
  }
}
