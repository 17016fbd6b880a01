package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./zkdigest demo}, the README's first command, through the launcher. Expected values come
 * from the demo's workload ({@code DemoWorkload}): with two clients, one ZooKeeper client reading
 * and writing config (its first round does one of each kind, a stale version and a missing key
 * included) and one Curator client taking a lock around a counter, beside the demo's own Curator
 * admin client. Curator 5 sends {@code create2} for create and {@code getChildren2} for getChildren
 * (as in {@code Workload.runCurator}).
 */
class DemoIT {
  @TempDir Path dir;

  @Test
  void demoReportsTheOpsAndErrorsOfItsWorkload() throws Exception {
    // when
    JsonNode json;
    String err;
    try (Launched demo =
        Launched.start(
            dir, "demo", "demo", "--duration", "3s", "--clients", "2", "--format", "json")) {
      assertThat(demo.exitCode()).as(demo.err()).isZero();
      json = demo.json();
      err = demo.err();
    }
    // then: every op the workload performs was seen, answered
    JsonNode ops = json.get("ops");
    for (String op :
        List.of(
            "connect",
            "getData",
            "setData",
            "exists",
            "getChildren",
            "create2",
            "getChildren2",
            "delete",
            "closeSession")) {
      assertThat(ops.has(op)).as(op + " in " + ops.fieldNames()).isTrue();
      assertThat(ops.get(op).get("requests").asLong()).as(op).isPositive();
      assertThat(ops.get(op).get("responses").asLong())
          .as(op)
          .isEqualTo(ops.get(op).get("requests").asLong());
    }
    // the errors it provokes: a stale version, a missing key (the config client's first round)
    assertThat(ops.at("/setData/errors/BADVERSION").asLong()).isPositive();
    assertThat(ops.at("/getData/errors/NONODE").asLong()).isPositive();
    // three sessions (the admin, the config client, the lock client), each opened and closed
    JsonNode s = json.get("summary");
    assertThat(ops.at("/connect/requests").asLong()).isEqualTo(3);
    assertThat(ops.at("/closeSession/requests").asLong()).isEqualTo(3);
    assertThat(s.get("sessions").asLong()).isEqualTo(3);
    assertThat(s.get("decode_errors").asLong()).isZero();
    assertThat(s.get("unmatched_responses").asLong()).isZero();
    assertThat(s.get("pending_requests").asLong()).isZero();
    assertThat(json.at("/source/mode").asText()).isEqualTo("demo");
    assertThat(json.at("/capture/proxy_connections_accepted").asLong()).isEqualTo(3);
    assertThat(json.at("/capture/proxy_analysis_stopped").asLong()).isZero();
    // progress on standard error, and nothing a user should not see
    assertThat(err).contains("zkdigest demo: ZooKeeper on 127.0.0.1:").doesNotContain("Exception");
  }
}
