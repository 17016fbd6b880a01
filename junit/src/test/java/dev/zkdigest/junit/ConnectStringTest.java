package dev.zkdigest.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectStringTest {
  @Test
  void readsServersPortsAndChrootAsZooKeepersClientDoes() {
    ConnectString cs = ConnectString.parse("zk1:2181,zk2,[::1]:2182/app/x");
    assertThat(cs.serverStrings()).containsExactly("zk1:2181", "zk2:2181", "[::1]:2182");
    assertThat(cs.chroot()).isEqualTo("/app/x");
    assertThat(ConnectString.parse("127.0.0.1:40000").chroot()).isEmpty();
  }
}
