package io.sygra.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Input files for pipeline runs. */
public final class Inputs {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Inputs() {}

  /** The id of record {@code i}: {@code r00042}. */
  public static String id(int i) {
    return String.format("r%05d", i);
  }

  /**
   * Writes {@code n} JSONL records {@code {"id": "r00000", "topic": "..."}} whose topics differ, so
   * every record's prompt (and therefore the fake server's record key) is unique.
   */
  public static Path topics(Path file, int n) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id(i));
        r.put("topic", "topic " + i + " of the reliability suite");
        w.write(JSON.writeValueAsString(r));
        w.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
