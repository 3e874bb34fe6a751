package io.sygra.llm;

/** The call timed out (HTTP 408, or no complete response within the call timeout). Retryable. */
public class ModelTimeoutException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public ModelTimeoutException(
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
