package dev.zkdigest.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version this build was made from: the Maven project version and the git commit, which the
 * build writes into {@code build.properties} (protocol/pom.xml). It lives in the lowest module so
 * that the reports' header, their JSON {@code version} and {@code --version} show the same value.
 */
public final class BuildInfo {
  private static final String RESOURCE = "build.properties";

  /** What an unfilled placeholder would start with, should the file ever be filtered instead. */
  private static final String UNFILLED = "${";

  private static final String VERSION;
  private static final String COMMIT;

  static {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // A missing or unreadable resource leaves both unknown; the tool still runs.
    }
    VERSION = known(p.getProperty("version"));
    COMMIT = known(p.getProperty("commit"));
  }

  private BuildInfo() {}

  /** The Maven project version, e.g. {@code 0.1.0-SNAPSHOT}, or {@code unknown}. */
  public static String projectVersion() {
    return VERSION == null ? "unknown" : VERSION;
  }

  /** The abbreviated git commit, or null when the build had none. */
  public static String commit() {
    return COMMIT;
  }

  /**
   * The project version with the commit as SemVer build metadata, e.g. {@code
   * 0.1.0-SNAPSHOT+4932a7e}: one token, for the report header, JSON and {@code --version}.
   */
  public static String version() {
    return COMMIT == null ? projectVersion() : projectVersion() + "+" + COMMIT;
  }

  private static String known(String value) {
    return value == null || value.isBlank() || value.startsWith(UNFILLED) ? null : value.trim();
  }
}
