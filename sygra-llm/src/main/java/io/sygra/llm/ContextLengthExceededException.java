package io.sygra.llm;

/**
 * The prompt plus the requested completion exceed the model's context window ({@code
 * context_length_exceeded}, or the equivalent wording of vLLM-style and Anthropic servers). Not
 * retryable.
 */
public class ContextLengthExceededException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public ContextLengthExceededException(
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
