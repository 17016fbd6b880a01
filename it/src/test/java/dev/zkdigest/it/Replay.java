package dev.zkdigest.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.zkdigest.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Runs {@code zkdigest replay --format json} in-process and reads the report. */
final class Replay {
  private Replay() {}

  static JsonNode json(Path... files) throws Exception {
    return json(List.of(), files);
  }

  static JsonNode json(List<String> extraArgs, Path... files) throws Exception {
    Path out = Files.createTempFile("zkdigest-it", ".json");
    List<String> args =
        new ArrayList<>(List.of("replay", "--format", "json", "-o", out.toString()));
    args.addAll(extraArgs);
    for (Path f : files) {
      args.add(f.toString());
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream old = System.err;
    int code;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      code = Main.run(args.toArray(new String[0]));
    } finally {
      System.setErr(old);
    }
    assertThat(code).as("exit code; stderr: %s", err).isZero();
    JsonNode n = new ObjectMapper().readTree(out.toFile());
    Files.delete(out);
    return n;
  }

  /** Requests by op, leaving out pings, which the client sends on its own schedule. */
  static Map<String, Long> requests(JsonNode report) {
    Map<String, Long> m = new TreeMap<>();
    report
        .get("ops")
        .fields()
        .forEachRemaining(
            e -> {
              if (!e.getKey().equals("ping")) {
                m.put(e.getKey(), e.getValue().get("requests").asLong());
              }
            });
    return m;
  }

  static Map<String, Map<String, Long>> errors(JsonNode report) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    report
        .get("ops")
        .fields()
        .forEachRemaining(
            e -> {
              Map<String, Long> byCode = new TreeMap<>();
              e.getValue()
                  .get("errors")
                  .fields()
                  .forEachRemaining(x -> byCode.put(x.getKey(), x.getValue().asLong()));
              if (!byCode.isEmpty()) {
                m.put(e.getKey(), byCode);
              }
            });
    return m;
  }

  /** An object of objects of numbers, as maps. */
  static Map<String, Map<String, Long>> nested(JsonNode obj) {
    Map<String, Map<String, Long>> m = new TreeMap<>();
    obj.fields()
        .forEachRemaining(
            e -> {
              Map<String, Long> inner = new TreeMap<>();
              e.getValue()
                  .fields()
                  .forEachRemaining(x -> inner.put(x.getKey(), x.getValue().asLong()));
              m.put(e.getKey(), inner);
            });
    return m;
  }
}
