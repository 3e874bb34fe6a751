package io.sygra.llm;

/**
 * No endpoint may take the call now: the circuit breaker of every configured base URL is open.
 * Retryable: circuits close again after their wait.
 */
public class EndpointUnavailableException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public EndpointUnavailableException(
      String provider,
      String model,
      int httpStatus,
      String requestId,
      String errorCode,
      String serverMessage,
      Throwable cause) {
    super(provider, model, httpStatus, requestId, errorCode, serverMessage, true, cause);
  }
}
