package io.sygra.schema;

import io.sygra.core.SygraException;
import java.util.Objects;

/**
 * A record does not fit its format or the model: bad JSON, a field of the wrong type, an unknown
 * role, a failed validation rule, or a record that the target format cannot represent.
 *
 * <p>The message reads {@code file:line: $.json.path: reason}, and each part is available on its
 * own so callers can write precise reject files.
 */
public class SchemaException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final transient Location location;
  private final String path;
  private final String reason;

  /**
   * Creates an exception.
   *
   * @param location where the record came from; {@link Location#UNKNOWN} when not from an input
   * @param path the JSON path of the offending field, e.g. {@code $.messages[2].content}; {@code $}
   *     for the whole record
   * @param reason what is wrong, e.g. {@code empty}
   */
  public SchemaException(Location location, String path, String reason) {
    this(location, path, reason, null);
  }

  /** As {@link #SchemaException(Location, String, String)} with a cause. */
  public SchemaException(Location location, String path, String reason, Throwable cause) {
    super(format(location, path, reason), cause);
    this.location = Objects.requireNonNull(location, "location");
    this.path = Objects.requireNonNull(path, "path");
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** An exception about the field at {@code path}, not tied to an input location. */
  public SchemaException(String path, String reason) {
    this(Location.UNKNOWN, path, reason, null);
  }

  /** Where the record came from; {@link Location#UNKNOWN} when it did not come from an input. */
  public Location location() {
    return location;
  }

  /** The JSON path of the offending field; {@code $} for the whole record. */
  public String path() {
    return path;
  }

  /** The reason alone, without location and path. */
  public String reason() {
    return reason;
  }

  /** {@code $.path: reason}, the message without the location. */
  public String detail() {
    return path + ": " + reason;
  }

  /**
   * The same problem, placed at {@code newLocation} and with {@code prefix} prepended to the path.
   */
  public SchemaException relocate(Location newLocation, String prefix) {
    String p = prefix == null || prefix.isEmpty() ? path : prefix + path.substring(1);
    return new SchemaException(newLocation, p, reason, getCause());
  }

  private static String format(Location location, String path, String reason) {
    String where = location == null ? "" : location.toString();
    return (where.isEmpty() ? "" : where + ": ") + path + ": " + reason;
  }
}
