package io.sygra.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a run directory's outcome files the way a user would: line by line, as JSON. */
public final class RunFiles {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private RunFiles() {}

  /** Every complete line of a JSONL file as a map (a torn last line is ignored); none if absent. */
  public static List<Map<String, Object>> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text = new String(bytes, StandardCharsets.UTF_8);
      int end = text.lastIndexOf('\n');
      List<Map<String, Object>> out = new ArrayList<>();
      if (end < 0) {
        return out;
      }
      for (String line : text.substring(0, end).split("\n", -1)) {
        if (!line.isBlank()) {
          out.add(JSON.readValue(line, MAP));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }

  /** id → line of a JSONL outcome file; fails on a duplicate id. */
  public static Map<String, Map<String, Object>> byId(Path file) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> line : lines(file)) {
      String id = String.valueOf(line.get("id"));
      assertThat(out.put(id, line)).as("id %s appears twice in %s", id, file).isNull();
    }
    return out;
  }

  /**
   * The outcomes of a run directory: written, dropped and failed ids, checked to be pairwise
   * disjoint and free of duplicates.
   */
  public record Outcomes(
      Map<String, Map<String, Object>> written,
      Map<String, Map<String, Object>> dropped,
      Map<String, Map<String, Object>> failed) {

    /** Reads and checks {@code dir}. */
    public static Outcomes of(Path dir) {
      Outcomes o =
          new Outcomes(
              byId(dir.resolve("output.jsonl")),
              byId(dir.resolve("dropped.jsonl")),
              byId(dir.resolve("failed.jsonl")));
      Set<String> all = new HashSet<>();
      for (Map<String, Map<String, Object>> m : List.of(o.written, o.dropped, o.failed)) {
        for (String id : m.keySet()) {
          assertThat(all.add(id)).as("id %s has two outcomes", id).isTrue();
        }
      }
      return o;
    }

    /** Every id with an outcome. */
    public Set<String> ids() {
      Set<String> all = new HashSet<>(written.keySet());
      all.addAll(dropped.keySet());
      all.addAll(failed.keySet());
      return all;
    }
  }

  /** Reads {@code report.json}. */
  public static Map<String, Object> report(Path dir) {
    try {
      return JSON.readValue(dir.resolve("report.json").toFile(), MAP);
    } catch (IOException e) {
      throw new UncheckedIOException("reading report.json in " + dir, e);
    }
  }
}
