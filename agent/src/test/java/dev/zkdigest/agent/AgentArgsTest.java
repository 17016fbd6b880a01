package dev.zkdigest.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zkdigest.protocol.ProtocolConfig;
import dev.zkdigest.report.GroupBy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AgentArgsTest {
  @Test
  void defaultsWithoutArguments() {
    AgentArgs a = AgentArgs.parse(null);
    assertThat(a).isEqualTo(AgentArgs.parse("")).isEqualTo(AgentArgs.DEFAULTS);
    assertThat(a.output()).isNull();
    assertThat(a.json()).isFalse();
    assertThat(a.interval()).isNull();
    assertThat(a.metrics()).isNull();
    assertThat(a.duration()).isNull();
    assertThat(a.bufferBytes()).isEqualTo(AgentArgs.DEFAULT_BUFFER);
    assertThat(a.maxFrame()).isEqualTo(ProtocolConfig.DEFAULT_MAX_FRAME);
    assertThat(a.groupBy()).isEqualTo(GroupBy.PATTERN);
    assertThat(a.wantsReport()).isTrue();
  }

  @Test
  void parsesTheReadmeExample() {
    AgentArgs a = AgentArgs.parse("output=zk.json,format=json,interval=60s,metrics=127.0.0.1:9404");
    assertThat(a.output()).isEqualTo(Path.of("zk.json").toAbsolutePath());
    assertThat(a.json()).isTrue();
    assertThat(a.interval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(a.metrics().getHostString()).isEqualTo("127.0.0.1");
    assertThat(a.metrics().getPort()).isEqualTo(9404);
  }

  @Test
  void parsesEveryKey() {
    AgentArgs a =
        AgentArgs.parse(
            " show , summary=true,debug=false,duration=1500ms,max-frame=4096,buffer=16m,"
                + "max-connections=100,top=3,group-by=session,live-output=/tmp/live.txt,"
                + "FORMAT=Text");
    assertThat(a.show()).isTrue();
    assertThat(a.summary()).isTrue();
    assertThat(a.debug()).isFalse();
    assertThat(a.duration()).isEqualTo(Duration.ofMillis(1500));
    assertThat(a.maxFrame()).isEqualTo(4096);
    assertThat(a.bufferBytes()).isEqualTo(16 << 20);
    assertThat(a.maxConnections()).isEqualTo(100);
    assertThat(a.top()).isEqualTo(3);
    assertThat(a.groupBy()).isEqualTo(GroupBy.SESSION);
    assertThat(a.liveOutput()).isEqualTo(Path.of("/tmp/live.txt"));
    assertThat(a.json()).isFalse();
  }

  @Test
  void metricsTakeAPortAloneOrABracketedIpv6Host() {
    assertThat(AgentArgs.parse("metrics=9404").metrics().getHostString()).isEqualTo("127.0.0.1");
    assertThat(AgentArgs.parse("metrics=[::1]:9404").metrics().getHostString()).isEqualTo("::1");
    assertThatThrownBy(() -> AgentArgs.parse("metrics=::1:9404")).hasMessageContaining("brackets");
  }

  @Test
  void durationsReadLikeTheCommands() {
    assertThat(AgentArgs.parseDuration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(AgentArgs.parseDuration("d", "2.5s")).isEqualTo(Duration.ofMillis(2500));
    assertThat(AgentArgs.parseDuration("d", "5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(AgentArgs.parseDuration("d", "1h")).isEqualTo(Duration.ofHours(1));
    assertThat(AgentArgs.parseDuration("d", "7")).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void onlyShowMeansNoReport() {
    assertThat(AgentArgs.parse("show").wantsReport()).isFalse();
    assertThat(AgentArgs.parse("show,summary").wantsReport()).isTrue();
    assertThat(AgentArgs.parse("show,output=r.txt").wantsReport()).isTrue();
  }

  @Test
  void inProcessReadsIntervalsInTheJvmAndWritesNoFinalReportUnlessAsked() {
    AgentArgs a = AgentArgs.parse("in-process=true,tap=client");
    assertThat(a.inProcess()).isTrue();
    assertThat(a.tapClients()).isTrue();
    assertThat(a.tapServers()).isFalse();
    assertThat(a.wantsReport()).isFalse();
    assertThat(AgentArgs.parse("in-process,output=r.json").wantsReport()).isTrue();
    assertThat(AgentArgs.DEFAULTS.inProcess()).isFalse();
    assertThat(AgentArgs.DEFAULTS.tapClients()).isTrue();
    assertThat(AgentArgs.DEFAULTS.tapServers()).isTrue();
    assertThat(AgentArgs.parse("tap=server").tapClients()).isFalse();
    assertThatThrownBy(() -> AgentArgs.parse("in-process,interval=10s"))
        .hasMessageContaining("in-process and interval");
    assertThatThrownBy(() -> AgentArgs.parse("tap=proxy")).hasMessageContaining("client, server");
  }

  @Test
  void refusesBadArgumentsWithOneMessageNamingThem() {
    assertThatThrownBy(() -> AgentArgs.parse("outptu=x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown argument 'outptu'")
        .hasMessageContaining("output");
    assertThatThrownBy(() -> AgentArgs.parse("format=xml")).hasMessageContaining("text or json");
    assertThatThrownBy(() -> AgentArgs.parse("interval=soon")).hasMessageContaining("interval");
    assertThatThrownBy(() -> AgentArgs.parse("interval=0s")).hasMessageContaining("positive");
    assertThatThrownBy(() -> AgentArgs.parse("buffer=1k")).hasMessageContaining("between");
    assertThatThrownBy(() -> AgentArgs.parse("buffer=lots")).hasMessageContaining("size");
    assertThatThrownBy(() -> AgentArgs.parse("top=-1")).hasMessageContaining("between");
    assertThatThrownBy(() -> AgentArgs.parse("output")).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> AgentArgs.parse("show=maybe")).hasMessageContaining("true or false");
    assertThatThrownBy(() -> AgentArgs.parse("top=1,top=2")).hasMessageContaining("twice");
    assertThatThrownBy(() -> AgentArgs.parse("top=1,,top=2")).hasMessageContaining("empty");
    assertThatThrownBy(() -> AgentArgs.parse("group-by=table")).hasMessageContaining("session");
    assertThatThrownBy(() -> AgentArgs.parse("metrics=70000")).hasMessageContaining("range");
  }
}
