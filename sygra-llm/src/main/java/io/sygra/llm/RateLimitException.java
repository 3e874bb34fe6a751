package io.sygra.llm;

import java.time.Duration;

/**
 * HTTP 429: too many requests or tokens for now. Retryable; {@link #retryAfter()} tells how long
 * the server asked to wait ({@code Retry-After}, {@code retry-after-ms} or {@code
 * x-ratelimit-reset-*}), when it said.
 */
public class RateLimitException extends ModelException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * See {@link ModelException#ModelException(String, String, int, String, String, String, boolean,
   * Throwable)}.
   *
   * @param retryAfter the wait the server asked for, or null when it did not say
   */
  public RateLimitException(
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
