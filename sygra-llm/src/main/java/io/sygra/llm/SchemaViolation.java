package io.sygra.llm;

import java.util.Objects;

/**
 * One way a JSON value fails a JSON schema.
 *
 * @param path where, as a JSON path from the root {@code $}, e.g. {@code $.items[2].score}
 * @param message what is wrong, e.g. {@code 11 is greater than the maximum 10}
 */
public record SchemaViolation(String path, String message) {
  public SchemaViolation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
