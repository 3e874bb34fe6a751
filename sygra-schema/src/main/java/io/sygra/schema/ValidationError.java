package io.sygra.schema;

import java.util.Objects;

/**
 * One broken rule, located by the JSON path of the field in the model's canonical (TRL) field
 * names, e.g. {@code $.messages[2].content: empty} or {@code $.rejected: identical to chosen}.
 *
 * @param path the JSON path of the offending field; {@code $} for the whole record
 * @param message what is wrong
 */
public record ValidationError(String path, String message) {
  /** Validates the fields. */
  public ValidationError {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}. */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
