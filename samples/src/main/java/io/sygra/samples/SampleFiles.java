package io.sygra.samples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sygra.core.ConfigurationException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Input and side-output files of the samples. */
final class SampleFiles {
  private SampleFiles() {}

  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * The input file: {@code --input} when given, else {@code defaultPath} (relative paths resolve
   * against the working directory, the repository root when run through {@code ./sygra}).
   *
   * @throws ConfigurationException naming the path when it does not exist
   */
  static Path input(SampleContext ctx, String defaultPath) {
    Path p = ctx.input().orElse(Path.of(defaultPath));
    if (!Files.isRegularFile(p)) {
      throw new ConfigurationException(
          "input",
          "file not found: "
              + p.toAbsolutePath().normalize()
              + (ctx.input().isPresent()
                  ? ""
                  : " (the default; run from the repository root with ../shared/fixtures beside"
                      + " it, or pass --input PATH)"));
    }
    return p;
  }

  /** Every JSON object of a JSON Lines file (blank lines skipped). */
  static List<Map<String, Object>> readJsonl(Path file) {
    List<Map<String, Object>> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(JSON.readValue(line, new TypeReference<Map<String, Object>>() {}));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          throw new ConfigurationException(
              "input", file + ":" + n + ": not a JSON object: " + e.getOriginalMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return out;
  }

  /** Writes {@code records} as JSON Lines, atomically (temp file, then rename). */
  static void writeJsonl(Path file, List<? extends Map<String, ?>> records) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        for (Map<String, ?> r : records) {
          w.write(JSON.writeValueAsString(r));
          w.write('\n');
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes {@code value} as pretty JSON. */
  static void writeJson(Path file, Object value) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      PRETTY.writeValue(file.toFile(), value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Reads a JSON document. */
  static <T> T readJson(Path file, TypeReference<T> type) {
    try {
      return JSON.readValue(file.toFile(), type);
    } catch (IOException e) {
      throw new ConfigurationException("input", file + ": not valid JSON: " + e.getMessage());
    }
  }

  /** A stable non-negative hash of {@code text}, for deterministic offline choices. */
  static int bucket(String text, int buckets) {
    int h = 0x811c9dc5;
    for (int i = 0; i < text.length(); i++) {
      h ^= text.charAt(i);
      h *= 0x01000193;
    }
    return Math.floorMod(h, buckets);
  }
}
