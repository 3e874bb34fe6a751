package io.sygra.llm;

/**
 * The server answered with a body that is not what the API promises: truncated, not JSON, a 200
 * that is not a chat completion, or a stream that ended early. Retryable, since a second attempt
 * usually gets a well-formed reply.
 */
public class MalformedResponseException extends ModelException {
  private static final long serialVersionUID = 1L;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   */
  public MalformedResponseException(
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
