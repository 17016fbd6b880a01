package dev.zkdigest.agent.launcher;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.util.jar.JarFile;

/**
 * The agent jar's entry point ({@code -javaagent} and attach). It only puts the jar on the
 * bootstrap class path (for the bridge the instrumented ZooKeeper classes call) and starts the
 * agent proper in its own class loader, so the application sees none of the agent's classes. JDK
 * classes only: this class is loaded by the application's system class loader.
 */
public final class AgentLauncher {
  /** Set once the jar is on the bootstrap class path: a second attach must not add it again. */
  private static final String BOOTSTRAP_MARK = "zkdigest.agent.bootstrap";

  private static final String AGENT_CLASS = "dev.zkdigest.agent.Agent";

  private AgentLauncher() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  private static void start(String args, Instrumentation inst, boolean attached) {
    try {
      File jar = agentJar();
      synchronized (AgentLauncher.class) {
        if (System.getProperty(BOOTSTRAP_MARK) == null) {
          inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
          System.setProperty(BOOTSTRAP_MARK, jar.getPath());
        }
      }
      AgentClassLoader loader = new AgentClassLoader(new JarFile(jar));
      Class<?> agent = loader.loadClass(AGENT_CLASS);
      agent
          .getMethod(
              "start", String.class, Instrumentation.class, boolean.class, AutoCloseable.class)
          .invoke(null, args, inst, attached, loader);
    } catch (Throwable t) {
      // Whatever happens, the application runs on without the agent.
      Throwable cause = t.getCause() != null ? t.getCause() : t;
      System.err.println("zkdigest agent: not started: " + cause);
    }
  }

  private static File agentJar() throws URISyntaxException {
    return new File(
        AgentLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
