package dev.zkdigest.agent;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's few messages, one line each on the JVM's standard error: the application's own
 * logging is not ours to configure, and an agent that logs through it could recurse into it.
 */
final class AgentLog {
  private static final String PREFIX = "zkdigest agent: ";
  private static final Set<String> ONCE = ConcurrentHashMap.newKeySet();

  private AgentLog() {}

  static void info(String message) {
    System.err.println(PREFIX + message);
  }

  static void warn(String message) {
    System.err.println(PREFIX + message);
  }

  /** Logs {@code message} the first time {@code key} is seen. */
  static void once(String key, String message) {
    if (ONCE.add(key)) {
      warn(message);
    }
  }

  /** One line for a throwable: its class and message, never a stack trace. */
  static String describe(Throwable t) {
    String msg = t.getMessage();
    return msg == null || msg.isBlank()
        ? t.getClass().getSimpleName()
        : msg.lines().findFirst().orElse(msg);
  }
}
