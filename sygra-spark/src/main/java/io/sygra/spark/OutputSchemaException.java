package io.sygra.spark;

import io.sygra.core.SygraException;

/**
 * A written record's output does not fit the {@link OutputSchema}: a value of the wrong type, a
 * missing non-nullable value, or an example the TRL format cannot represent or whose validation
 * failed. The record is reported as {@code failed} at node {@code output}.
 */
public final class OutputSchemaException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String path;

  /**
   * @param path the JSON path of the offending field in the output record, e.g. {@code
   *     $.messages[1].content}; {@code $} for the whole record
   * @param message what is wrong
   */
  public OutputSchemaException(String path, String message) {
    super(path + ": " + message);
    this.path = path;
  }

  /** The JSON path of the offending field. */
  public String path() {
    return path;
  }
}
