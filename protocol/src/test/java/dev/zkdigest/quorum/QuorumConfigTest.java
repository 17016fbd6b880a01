package dev.zkdigest.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuorumConfigTest {

  @Test
  void readsServersRolesClientPartsAndTheHexVersion() {
    QuorumConfig c =
        QuorumConfig.parse(
            "tickTime=2000\n"
                + "server.1=zk1:2888:3888\n"
                + "server.2=10.0.0.2:2889:3889:observer;2181\n"
                + "server.3=[fd00::3]:2888:3888:participant;[::]:2181\n"
                + "server.4=a:1:2|b:3:4:participant\n"
                + "server.x=bad\n"
                + "server.5=only:1\n"
                + "version=1000000ab\n");
    assertThat(c.version()).isEqualTo(0x1000000abL);
    assertThat(c.members().stream().map(QuorumConfig.Member::sid)).containsExactly(1L, 2L, 3L, 4L);
    assertThat(c.member(1).quorum()).containsExactly(new QuorumConfig.HostPort("zk1", 2888));
    assertThat(c.member(2).role()).isEqualTo("observer");
    assertThat(c.member(2).election()).containsExactly(new QuorumConfig.HostPort("10.0.0.2", 3889));
    assertThat(c.member(3).quorum()).containsExactly(new QuorumConfig.HostPort("fd00::3", 2888));
    assertThat(c.member(3).quorum().get(0).toString()).isEqualTo("[fd00::3]:2888");
    assertThat(c.member(4).election())
        .isEqualTo(List.of(new QuorumConfig.HostPort("a", 2), new QuorumConfig.HostPort("b", 4)));
  }

  @Test
  void noVersionLineIsMinusOne() {
    assertThat(QuorumConfig.parse("server.1=h:1:2").version()).isEqualTo(-1);
  }
}
