package io.sygra.core;

/**
 * Invalid configuration, reported when it is set (builders validate eagerly) or at {@code build()},
 * before any record is processed. Names the field and the offending value.
 */
public final class ConfigurationException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /** An invalid value for configuration field {@code field}; the message names the value. */
  public ConfigurationException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  /** The configuration field at fault, e.g. {@code "concurrency"}. */
  public String field() {
    return field;
  }

  /** Throws if {@code condition} is false. */
  public static void check(boolean condition, String field, String message) {
    if (!condition) {
      throw new ConfigurationException(field, message);
    }
  }
}
