package com.example.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zkdigest.findings.Finding;
import dev.zkdigest.junit.TrafficDigest;
import dev.zkdigest.junit.ZkDigestExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlagServiceTest {
  @RegisterExtension static ZkDigestExtension zk = ZkDigestExtension.embedded();

  private static void create(ZooKeeper admin, String flag, String value) throws Exception {
    admin.create(
        FlagService.ROOT + "/" + flag,
        value.getBytes(StandardCharsets.UTF_8),
        ZooDefs.Ids.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
  }

  private static void change(ZooKeeper admin, String flag, String value) throws Exception {
    admin.setData(FlagService.ROOT + "/" + flag, value.getBytes(StandardCharsets.UTF_8), -1);
  }

  private static void awaitValue(FlagService service, String flag, String value)
      throws InterruptedException {
    for (int i = 0; i < 1_000 && !value.equals(service.get(flag)); i++) {
      Thread.sleep(10);
    }
    assertThat(service.get(flag)).isEqualTo(value);
  }

  @Test
  void followsChangesWithWatchesNotPolling() throws Exception {
    try (ZooKeeper admin = new ZooKeeper(zk.connectString(), 30_000, e -> {})) {
      admin.create(FlagService.ROOT, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      create(admin, "dark-mode", "off");
      create(admin, "new-checkout", "10%");
      try (FlagService flags =
          new FlagService(zk.connectString(), List.of("dark-mode", "new-checkout", "beta"))) {
        change(admin, "dark-mode", "on");
        awaitValue(flags, "dark-mode", "on");
        change(admin, "new-checkout", "50%");
        awaitValue(flags, "new-checkout", "50%");
      }
    }

    TrafficDigest d = zk.digest();
    // three flags read once, two read again after a change
    assertThat(d.calls("getData", "/flags/*")).isEqualTo(5);
    // the unset flag: its read, and the exists that watches for it
    assertThat(d.errors("NONODE")).isEqualTo(2);
    assertThat(d.findings()).noneMatch(f -> f.kind() == Finding.Kind.POLLING);
    zk.assertWithin(Path.of("src/test/resources/flags.budget"));
  }
}
