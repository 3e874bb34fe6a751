package io.sygra.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the figures a test measured (faults injected, kills survived, inputs tried...) to {@code
 * target/reliability-figures/<name>.json}, where RELIABILITY.md's numbers come from. The directory
 * is the system property {@code sygra.figures.dir} when set (surefire sets it).
 */
public final class Figures {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Figures() {}

  /** The directory figures are written to. */
  public static Path dir() {
    return Path.of(System.getProperty("sygra.figures.dir", "target/reliability-figures"));
  }

  /** Writes {@code figures} (sorted by key) as {@code <name>.json}, replacing an older file. */
  public static void write(String name, Map<String, ?> figures) {
    try {
      Files.createDirectories(dir());
      JSON.writeValue(dir().resolve(name + ".json").toFile(), new TreeMap<>(figures));
    } catch (IOException e) {
      throw new UncheckedIOException("writing figures " + name, e);
    }
  }
}
