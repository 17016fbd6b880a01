package dev.zkdigest.it.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The agent's JSON report, read back, and the workload's own record, in the same shape. */
record AgentReport(JsonNode json) {
  static AgentReport read(Path file) throws IOException {
    return new AgentReport(new ObjectMapper().readTree(file.toFile()));
  }

  long summary(String key) {
    return json.path("summary").path(key).asLong();
  }

  long capture(String key) {
    return json.path("capture").path(key).asLong(-1);
  }

  /** {@code op count} and {@code error CODE count}, summed over ops, as the workload records. */
  Map<String, Long> opsAndErrors() {
    Map<String, Long> m = new TreeMap<>();
    json.path("ops")
        .fields()
        .forEachRemaining(
            op -> {
              m.merge(op.getKey(), op.getValue().path("requests").asLong(), Long::sum);
              op.getValue()
                  .path("errors")
                  .fields()
                  .forEachRemaining(
                      e -> m.merge("error " + e.getKey(), e.getValue().asLong(), Long::sum));
            });
    return m;
  }

  /** Requests of the classes whose path is {@code root} or under it. */
  long requestsUnder(String root) {
    long n = 0;
    for (JsonNode c : json.path("classes")) {
      String p = c.path("pattern").asText();
      if (p.equals(root) || p.startsWith(root + "/")) {
        n += c.path("requests").asLong();
      }
    }
    return n;
  }

  /** The workload's record file: {@code KIND op N} and {@code KIND error CODE N} lines. */
  static Map<String, Long> record(Path file) throws IOException {
    Map<String, Long> m = new TreeMap<>();
    for (String line : Files.readAllLines(file)) {
      int first = line.indexOf(' ');
      int last = line.lastIndexOf(' ');
      m.put(line.substring(0, last), Long.parseLong(line.substring(last + 1)));
      if (first < 0) {
        throw new IllegalStateException(line);
      }
    }
    return m;
  }

  /** The record summed over client kinds: {@code op N} and {@code error CODE N}. */
  static Map<String, Long> byOp(Map<String, Long> record) {
    Map<String, Long> m = new TreeMap<>();
    record.forEach((k, v) -> m.merge(k.substring(k.indexOf(' ') + 1), v, Long::sum));
    return m;
  }

  /** The requests one kind of client made, its session's handshake and close excluded. */
  static long requestsOf(Map<String, Long> record, String kind) {
    long n = 0;
    for (Map.Entry<String, Long> e : record.entrySet()) {
      String what = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      if (e.getKey().startsWith(kind + " ")
          && !what.startsWith("error")
          && !what.equals("closeSession")) {
        n += e.getValue();
      }
    }
    return n;
  }
}
