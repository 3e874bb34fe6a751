package io.sygra.llm;

/**
 * No usable HTTP exchange: the connection was refused or reset, the host is unknown, or TLS failed.
 * Retryable, except for TLS certificate failures, which retrying cannot fix.
 */
public class ConnectionException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public ConnectionException(
      String provider, String model, String serverMessage, boolean retryable, Throwable cause) {
    super(provider, model, -1, null, null, serverMessage, retryable, cause);
  }
}
