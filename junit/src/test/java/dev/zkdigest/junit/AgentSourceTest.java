package dev.zkdigest.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSourceTest {
  @TempDir Path dir;

  @AfterEach
  void clearProperty() {
    System.clearProperty(AgentSource.JAR_PROPERTY);
  }

  @Test
  void takesTheAgentJarTheSystemPropertyNames() throws Exception {
    Path jar = Files.createFile(dir.resolve("zkdigest-agent.jar"));
    System.setProperty(AgentSource.JAR_PROPERTY, jar.toString());
    assertThat(AgentSource.agentJar()).isEqualTo(jar);
  }

  @Test
  void aMissingAgentJarIsOneLineNamingTheProperty() {
    System.setProperty(AgentSource.JAR_PROPERTY, dir.resolve("nope.jar").toString());
    assertThatThrownBy(AgentSource::agentJar)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("-Dzkdigest.agent.jar=")
        .hasMessageContaining("no such file")
        .hasMessageNotContaining("\n");
  }
}
