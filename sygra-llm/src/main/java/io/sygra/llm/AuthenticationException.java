package io.sygra.llm;

/**
 * The API key is missing, wrong or expired (HTTP 401). Not retryable. The message never contains
 * the key.
 */
public class AuthenticationException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public AuthenticationException(
      String provider,
      String model,
      int httpStatus,
      String requestId,
      String errorCode,
      String serverMessage,
      Throwable cause) {
    super(provider, model, httpStatus, requestId, errorCode, serverMessage, false, cause);
  }
}
