package io.sygra.llm;

/** The key may not use this model or endpoint (HTTP 403). Not retryable. */
public class PermissionDeniedException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public PermissionDeniedException(
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
