package io.sygra.schema;

import java.util.Objects;

/** One record read by a {@link FormatReader}: an example, or a rejection with its reason. */
public sealed interface ReadResult permits ReadResult.Ok, ReadResult.Rejected {
  /** Where the record starts in the input. */
  Location location();

  /**
   * A record read successfully.
   *
   * @param location where the record starts
   * @param example the record in the model
   */
  record Ok(Location location, Example example) implements ReadResult {
    /** Validates the fields. */
    public Ok {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(example, "example");
    }
  }

  /**
   * A record that could not be read: malformed JSON, a wrong type, an unknown role, a broken format
   * rule.
   *
   * @param location where the record starts
   * @param error the problem, with the JSON path of the offending field
   * @param raw the record's raw JSON text (or the raw line when it is not JSON); may be null
   */
  record Rejected(Location location, SchemaException error, String raw) implements ReadResult {
    /** Validates the fields. */
    public Rejected {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(error, "error");
    }

    /** {@code $.path: reason}, without the location. */
    public String reason() {
      return error.detail();
    }
  }
}
