package dev.zkdigest.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent inside a ZooKeeper client application of each version: its three kinds of session (NIO,
 * Netty, Netty over TLS) against a real server, every request and error counted as the application
 * itself counted them.
 */
class AgentClientIT {
  static final int ROUNDS = 5;

  @TempDir Path dir;

  @ParameterizedTest(name = "ZooKeeper {0}")
  @ValueSource(strings = {"3.6.4", "3.8.6", "3.9.5"})
  void countsEveryRequestOfNioNettyAndTlsClients(String version) throws Exception {
    // given a server with a plain and a TLS port
    TlsMaterial tls = TlsMaterial.make(dir);
    try (ZkServerJvm server =
        ZkServerJvm.start(dir.resolve("server"), "3.9.5", ZkServerJvm.NETTY, tls, null)) {
      // when a client application runs its workload with the agent
      Path report = dir.resolve("report.json");
      Path record = dir.resolve("record.txt");
      try (Jvm app =
          Jvm.start(
              dir.resolve("app"),
              "app",
              concat(Jvm.agent("output=" + report + ",format=json"), tls.systemProperties()),
              Jvm.zookeeperClasspath(version),
              ClientWorkload.class.getName(),
              server.connect(),
              server.secureConnect(),
              record.toString(),
              String.valueOf(ROUNDS),
              "nio",
              "netty",
              "tls")) {
        assertThat(app.await(Duration.ofMinutes(2))).as(app.stderr()).isZero();
        assertThat(app.agentLines())
            .noneMatch(l -> l.contains("not tapping") || l.contains("could not"));
      }

      // then the agent's report counts what the application did, request by request
      Map<String, Long> did = AgentReport.record(record);
      AgentReport r = AgentReport.read(report);
      assertThat(withoutPings(r.opsAndErrors())).isEqualTo(AgentReport.byOp(did));
      assertThat(r.summary("responses")).isEqualTo(r.summary("requests"));
      assertThat(r.summary("decode_errors")).isZero();
      assertThat(r.summary("unmatched_responses")).isZero();
      assertThat(r.summary("pending_requests")).isZero();
      assertThat(r.capture("agent_dropped_bytes")).isZero();
      // and each kind of client is told apart by what it did under its own path
      for (String kind : new String[] {"nio", "netty", "tls"}) {
        assertThat(r.requestsUnder("/" + kind))
            .as(kind)
            .isEqualTo(AgentReport.requestsOf(did, kind) - did.get(kind + " connect"));
      }
      assertThat(r.json().path("source").path("mode").asText()).isEqualTo("agent");
    }
  }

  static Map<String, Long> withoutPings(Map<String, Long> ops) {
    Map<String, Long> m = new TreeMap<>(ops);
    m.remove("ping"); // the client library's own, not the application's
    return m;
  }

  @SafeVarargs
  static <T> java.util.List<T> concat(java.util.List<T>... lists) {
    java.util.List<T> all = new java.util.ArrayList<>();
    for (java.util.List<T> l : lists) {
      all.addAll(l);
    }
    return all;
  }
}
