package dev.zkdigest.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The agent inside a ZooKeeper server of each version: it sees every client of the server, on the
 * plain and the TLS port, whatever kind of client it is, and tells them apart.
 */
class AgentServerIT {
  static final int ROUNDS = 5;

  @TempDir Path dir;

  @ParameterizedTest(name = "ZooKeeper {0}, {1}")
  @CsvSource({
    "3.6.4, netty",
    "3.8.6, netty",
    "3.9.5, netty",
    "3.6.4, nio",
    "3.9.5, nio",
  })
  void countsEveryClientOfTheServer(String version, String factory) throws Exception {
    // given a server with the agent (TLS needs the Netty connection factory)
    boolean netty = factory.equals("netty");
    TlsMaterial tls = TlsMaterial.make(dir);
    Path report = dir.resolve("report.json");
    List<String> kinds = new ArrayList<>(List.of("nio", "netty"));
    if (netty) {
      kinds.add("tls");
    }
    try (ZkServerJvm server =
        ZkServerJvm.start(
            dir.resolve("server"),
            version,
            netty ? ZkServerJvm.NETTY : ZkServerJvm.NIO,
            netty ? tls : null,
            "output=" + report + ",format=json")) {
      // when clients of each kind run their workload (in a JVM without the agent)
      Path record = dir.resolve("record.txt");
      List<String> args =
          new ArrayList<>(
              List.of(
                  server.connect(),
                  netty ? server.secureConnect() : "-",
                  record.toString(),
                  String.valueOf(ROUNDS)));
      args.addAll(kinds);
      try (Jvm clients =
          Jvm.start(
              dir.resolve("clients"),
              "clients",
              tls.systemProperties(),
              Jvm.zookeeperClasspath("3.9.5"),
              ClientWorkload.class.getName(),
              args.toArray(String[]::new))) {
        assertThat(clients.await(Duration.ofMinutes(2))).as(clients.stderr()).isZero();
      }
      // and the server stops (SIGTERM): the agent writes its report
      server.stop();
      assertThat(server.jvm().agentLines())
          .noneMatch(l -> l.contains("not tapping") || l.contains("could not"));

      // then every client's requests and errors are counted as the clients counted them
      Map<String, Long> did = AgentReport.record(record);
      AgentReport r = AgentReport.read(report);
      assertThat(AgentClientIT.withoutPings(r.opsAndErrors())).isEqualTo(AgentReport.byOp(did));
      assertThat(r.summary("responses")).isEqualTo(r.summary("requests"));
      assertThat(r.summary("decode_errors")).isZero();
      assertThat(r.summary("unmatched_responses")).isZero();
      // one connection per client, plus the srvr probes that waited for the server to serve
      assertThat(r.summary("four_letter_words")).isPositive();
      assertThat(r.summary("connections") - r.summary("four_letter_words")).isEqualTo(kinds.size());
      // and told apart: each client's requests under its own path
      for (String kind : kinds) {
        assertThat(r.requestsUnder("/" + kind))
            .as(kind)
            .isEqualTo(AgentReport.requestsOf(did, kind) - did.get(kind + " connect"));
      }
    }
  }
}
