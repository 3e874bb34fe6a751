package io.sygra.llm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the shared fixture files (system property {@code sygra.fixtures}, else ../shared). */
final class ClientFixtures {
  private ClientFixtures() {}

  static Path root() {
    String prop = System.getProperty("sygra.fixtures");
    if (prop != null && !prop.isBlank() && Files.isDirectory(Path.of(prop))) {
      return Path.of(prop);
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolveSibling("shared").resolve("fixtures");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared fixtures not found; set -Dsygra.fixtures");
  }

  /** Every recorded chat-completions cassette, sorted by name. */
  static List<Path> cassettes() {
    try (Stream<Path> s = Files.list(root().resolve("chat_completions"))) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
