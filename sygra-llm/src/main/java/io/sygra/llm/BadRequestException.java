package io.sygra.llm;

/**
 * The server rejected the request as invalid (HTTP 400, 413, 422 and other 4xx without a more
 * specific class). Not retryable: the same request fails again.
 */
public class BadRequestException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public BadRequestException(
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
