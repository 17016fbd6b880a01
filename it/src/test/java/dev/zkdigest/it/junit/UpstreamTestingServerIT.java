package dev.zkdigest.it.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.budget.Budget;
import dev.zkdigest.junit.TrafficDigest;
import dev.zkdigest.junit.ZkDigestExtension;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension in front of a server the suite already runs, Curator's {@link TestingServer}: only
 * traffic through {@link ZkDigestExtension#connectString()} is digested.
 */
class UpstreamTestingServerIT {
  private static final int INSTANCES = 3;

  static final TestingServer server = start();

  @RegisterExtension
  static ZkDigestExtension zk = ZkDigestExtension.upstream(server::getConnectString);

  private static TestingServer start() {
    try {
      return new TestingServer(true);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void digestsTheApplicationThroughTheProxyAndNothingElse() throws Exception {
    // given: another client straight to the server, around the proxy
    int direct = 5;
    try (CuratorFramework bypass =
        CuratorFrameworkFactory.builder()
            .connectString(server.getConnectString())
            .retryPolicy(new RetryOneTime(100))
            .ensembleTracker(false)
            .build()) {
      bypass.start();
      assertThat(bypass.blockUntilConnected(20, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < direct; i++) {
        bypass.checkExists().forPath("/elsewhere");
      }
      // when: the application under test through the extension
      CuratorCalls curator;
      try (LeaderElectionApp app = new LeaderElectionApp(zk.connectString(), INSTANCES)) {
        app.rollLeadership();
        curator = app.calls;
      }
      // then
      TrafficDigest d = zk.digest();
      LeaderElectionBudgetIT.assertListingsMatch(d, curator);
      assertThat(d.calls("exists", "/elsewhere")).isZero();
      assertThat(d.sessions()).isEqualTo(INSTANCES);
      assertThat(zk.connectString()).isNotEqualTo(server.getConnectString());
      zk.assertWithin(Budget.parse("inline", "calls * <= 500\nfinding herd == 0\n"));
      assertThatThrownBy(
              () -> zk.assertWithin(Budget.parse("inline", "calls getData /app/** == 0\n")))
          .hasMessageContaining(
              "line 1: calls getData /app/** == 0: measured "
                  + curator.count("GetDataBuilderImpl", "/app/"))
          .hasMessageContaining("report: target/zkdigest/" + getClass().getName());
    }
  }
}
