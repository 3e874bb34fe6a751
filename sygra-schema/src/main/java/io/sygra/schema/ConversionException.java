package io.sygra.schema;

import io.sygra.core.SygraException;

/**
 * A conversion stopped: the input could not be read (missing file, broken JSON array), the output
 * could not be written, or, in strict mode, a record was rejected. Carries the location of the
 * problem (when known) and the counts reached so far.
 */
public final class ConversionException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final transient Location location;
  private final transient ConversionSummary partial;

  ConversionException(
      String message, Location location, ConversionSummary partial, Throwable cause) {
    super(message, cause);
    this.location = location == null ? Location.UNKNOWN : location;
    this.partial = partial;
  }

  /** Where the problem was found; {@link Location#UNKNOWN} when not tied to a record. */
  public Location location() {
    return location;
  }

  /**
   * The partial summary as one-line JSON, as {@link ConversionSummary#toJson()} writes it plus an
   * {@code error} field holding this exception's message.
   */
  public String summaryJson() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(partial.toMap());
    m.put("error", getMessage());
    return io.sygra.schema.internal.Json.write(m);
  }

  /** The counts reached before stopping. */
  public ConversionSummary partialSummary() {
    return partial;
  }
}
