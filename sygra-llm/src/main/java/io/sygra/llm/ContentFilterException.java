package io.sygra.llm;

/**
 * The provider's safety system refused the prompt or the reply (e.g. {@code content_filter}, {@code
 * content_policy_violation}). Not retryable.
 */
public class ContentFilterException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public ContentFilterException(
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
