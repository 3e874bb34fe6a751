package io.sygra.schema;

import java.util.Objects;

/**
 * Where a record came from: the input's name, the 1-based line on which the record starts, and for
 * JSON-array inputs its 0-based index in the array.
 *
 * @param source the file name or another label for the input; never null (may be empty)
 * @param line the 1-based line where the record starts, or 0 when unknown
 * @param index the 0-based element index in a JSON array, or -1 for JSONL and single objects
 */
public record Location(String source, long line, long index) {
  /** Validates the fields. */
  public Location {
    Objects.requireNonNull(source, "source");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, was " + line);
    }
    if (index < -1) {
      throw new IllegalArgumentException("index must be >= -1, was " + index);
    }
  }

  /** A location that is not tied to any input. */
  public static final Location UNKNOWN = new Location("", 0, -1);

  /** A JSONL line. */
  public static Location line(String source, long line) {
    return new Location(source, line, -1);
  }

  /** Renders as {@code file:12} for lines or {@code file[3] l.12} for array elements. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source);
    if (index >= 0) {
      sb.append('[').append(index).append(']');
      if (line > 0) {
        sb.append(" l.").append(line);
      }
    } else if (line > 0) {
      sb.append(':').append(line);
    }
    return sb.toString();
  }
}
