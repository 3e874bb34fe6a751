package io.sygra.core;

/**
 * A state value is missing, or is not of the type asked for, or cannot be represented as JSON.
 * Names the key and, for conversions, the expected and actual types.
 */
public final class StateException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /** A problem with state key {@code key}. */
  public StateException(String key, String message) {
    super("state key '" + key + "': " + message);
    this.key = key;
  }

  /** The same, caused by {@code cause}. */
  public StateException(String key, String message, Throwable cause) {
    super("state key '" + key + "': " + message, cause);
    this.key = key;
  }

  /** The state key at fault. */
  public String key() {
    return key;
  }
}
