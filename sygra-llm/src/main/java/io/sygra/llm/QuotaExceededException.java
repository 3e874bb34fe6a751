package io.sygra.llm;

/**
 * HTTP 429 because the account's quota or credit is used up ({@code insufficient_quota}); unlike a
 * rate limit, waiting does not help. Not retryable.
 */
public class QuotaExceededException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public QuotaExceededException(
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
