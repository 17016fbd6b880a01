package dev.zkdigest.it.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * What the agent jar adds to an application: at its root, only the launcher and the bootstrap
 * bridge; everything else under {@code inst/}, which no class loader but the agent's reads, and
 * every class there (Byte Buddy, HdrHistogram, our own modules) relocated under {@code
 * dev.zkdigest.agent}.
 */
class AgentJarIT {
  @Test
  void carriesNoThirdPartyClassUnrelocated() throws Exception {
    try (JarFile jar = new JarFile(Jvm.agentJar().toFile())) {
      List<String> names =
          jar.stream().map(JarEntry::getName).filter(n -> !n.endsWith("/")).toList();
      assertThat(names)
          .filteredOn(n -> !n.startsWith("inst/"))
          .allMatch(
              n ->
                  n.equals("META-INF/MANIFEST.MF")
                      || n.startsWith("dev/zkdigest/agent/launcher/")
                      || n.startsWith("dev/zkdigest/agent/bootstrap/"),
              "only the launcher and the bridge at the root");
      assertThat(names).filteredOn(n -> n.endsWith(".class")).allMatch(n -> !n.startsWith("inst/"));
      assertThat(names)
          .filteredOn(n -> n.endsWith(".classdata"))
          .isNotEmpty()
          .allMatch(
              n -> n.startsWith("inst/dev/zkdigest/agent/"), "relocated under dev.zkdigest.agent")
          .anyMatch(n -> n.startsWith("inst/dev/zkdigest/agent/shaded/net/bytebuddy/"))
          .anyMatch(n -> n.startsWith("inst/dev/zkdigest/agent/shaded/org/HdrHistogram/"))
          .anyMatch(n -> n.startsWith("inst/dev/zkdigest/agent/shaded/dev/zkdigest/protocol/"));
      Attributes main = jar.getManifest().getMainAttributes();
      assertThat(main.getValue("Premain-Class"))
          .isEqualTo("dev.zkdigest.agent.launcher.AgentLauncher");
      assertThat(main.getValue("Agent-Class"))
          .isEqualTo("dev.zkdigest.agent.launcher.AgentLauncher");
      assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
    }
  }
}
