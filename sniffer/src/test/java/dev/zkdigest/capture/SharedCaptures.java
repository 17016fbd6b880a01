package dev.zkdigest.capture;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds {@code shared/captures} beside the project, wherever the test runs from. */
final class SharedCaptures {
  private SharedCaptures() {}

  static Path dir() {
    String prop = System.getProperty("zkdigest.shared");
    if (prop != null && Files.isDirectory(Path.of(prop, "captures"))) {
      return Path.of(prop, "captures");
    }
    Path p = Path.of("").toAbsolutePath();
    while (p != null) {
      Path c = p.resolve("shared").resolve("captures");
      if (Files.isDirectory(c)) {
        return c;
      }
      p = p.getParent();
    }
    throw new IllegalStateException(
        "shared/captures not found above " + Path.of("").toAbsolutePath());
  }

  static Path file(String name) {
    return dir().resolve(name);
  }
}
