package io.sygra.core;

/**
 * Root of every exception thrown by SyGra. Unchecked, so builder and run calls never force {@code
 * try/catch} on callers; each subclass carries the context needed to find the problem (node, record
 * id, file and line, field).
 *
 * <p>{@link #attempts()} tells how many times the failing operation was tried before giving up (1
 * unless a retrying component says otherwise); the runner copies it into {@code failed.jsonl}.
 */
public class SygraException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private volatile int attempts = 1;

  /** An error with a message that says what and where. */
  public SygraException(String message) {
    super(message);
  }

  /** The same, caused by {@code cause}. */
  public SygraException(String message, Throwable cause) {
    super(message, cause);
  }

  /** How many attempts were made before this exception was raised; at least 1. */
  public int attempts() {
    return attempts;
  }

  /**
   * Records how many attempts were made. Retrying components call this before rethrowing.
   *
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  public SygraException withAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be >= 1, was " + attempts);
    }
    this.attempts = attempts;
    return this;
  }
}
