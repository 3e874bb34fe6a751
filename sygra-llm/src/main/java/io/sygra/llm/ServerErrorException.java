package io.sygra.llm;

import java.time.Duration;

/**
 * HTTP 5xx (including 529 "overloaded"), 409, or an error object inside a 200 streamed reply
 * without a more specific code. Retryable; {@link #retryAfter()} is the wait the server asked for
 * (e.g. {@code Retry-After} on a 503), when it said.
 */
public class ServerErrorException extends ModelException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   *
   * @param retryAfter the wait the server asked for, or null when it did not say
   */
  public ServerErrorException(
      String provider,
      String model,
      int httpStatus,
      String requestId,
      String errorCode,
      String serverMessage,
      Duration retryAfter,
      Throwable cause) {
    super(provider, model, httpStatus, requestId, errorCode, serverMessage, true, cause);
    this.retryAfter = retryAfter;
  }

  /** The wait the server asked for, or null when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
