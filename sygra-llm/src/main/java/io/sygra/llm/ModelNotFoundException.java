package io.sygra.llm;

/**
 * The model or deployment does not exist on this endpoint (HTTP 404); also a wrong base URL path.
 * Not retryable.
 */
public class ModelNotFoundException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public ModelNotFoundException(
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
