package io.sygra.reliability.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The readers under test take a {@link Path}, so each fuzz input is written to one scratch file per
 * JVM (fuzzing is single-threaded) that is overwritten for every execution.
 */
final class FuzzFiles {
  private static final Path DIR;

  static {
    try {
      DIR = Files.createTempDirectory("sygra-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DIR.toFile().deleteOnExit();
  }

  private FuzzFiles() {}

  /** Writes {@code bytes} to the scratch file named {@code name} and returns its path. */
  static Path write(String name, byte[] bytes) {
    Path p = DIR.resolve(name);
    try {
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    p.toFile().deleteOnExit();
    return p;
  }
}
