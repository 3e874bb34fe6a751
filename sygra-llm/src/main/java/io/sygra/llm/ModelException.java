package io.sygra.llm;

import io.sygra.core.SygraException;

/**
 * A failed model call. Carries the provider, model, HTTP status (or -1), the server's request id
 * and error message, and whether trying again could help. Subclasses name the common cases; never
 * contains API keys.
 */
public class ModelException extends SygraException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final String model;
  private final int httpStatus;
  private final String requestId;
  private final String serverMessage;
  private final String errorCode;
  private final boolean retryable;

  public ModelException(
      String provider,
      String model,
      int httpStatus,
      String requestId,
      String serverMessage,
      boolean retryable,
      Throwable cause) {
    this(provider, model, httpStatus, requestId, null, serverMessage, retryable, cause);
  }

  /**
   * Creates a model exception that also carries the server's error code.
   *
   * @param provider provider name, e.g. {@code openai}
   * @param model the model called, or null
   * @param httpStatus HTTP status, or -1 when no response was received
   * @param requestId the server's request id, or null
   * @param errorCode the server's error code or type (e.g. {@code rate_limit_exceeded}), or null
   * @param serverMessage the server's error message (never an API key), or null
   * @param retryable whether the same request may succeed if tried again
   * @param cause the underlying failure, or null
   */
  public ModelException(
      String provider,
      String model,
      int httpStatus,
      String requestId,
      String errorCode,
      String serverMessage,
      boolean retryable,
      Throwable cause) {
    super(describe(provider, model, httpStatus, requestId, errorCode, serverMessage), cause);
    this.provider = provider;
    this.model = model;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
    this.errorCode = errorCode;
    this.serverMessage = serverMessage;
    this.retryable = retryable;
  }

  /** Provider name, e.g. {@code openai}, or null. */
  public String provider() {
    return provider;
  }

  /** The model called, or null. */
  public String model() {
    return model;
  }

  /** HTTP status, or -1 when no response was received. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The server's request id, or null when unknown. */
  public String requestId() {
    return requestId;
  }

  /** The server's own error message, when it sent one. */
  public String serverMessage() {
    return serverMessage;
  }

  /**
   * The server's error code or type, e.g. {@code rate_limit_exceeded}, {@code tool_use_failed} or
   * {@code 429} when the server sent a number; null when it sent none.
   */
  public String errorCode() {
    return errorCode;
  }

  /** True when the same request may succeed if tried again (429, 5xx, timeouts, resets...). */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Records how many attempts were made (retrying decorators call this before giving up).
   *
   * @throws IllegalArgumentException if {@code attempts < 1}
   */
  @Override
  public ModelException withAttempts(int attempts) {
    super.withAttempts(attempts);
    return this;
  }

  private static String describe(
      String provider,
      String model,
      int status,
      String requestId,
      String errorCode,
      String serverMessage) {
    StringBuilder sb = new StringBuilder();
    sb.append(provider == null ? "model" : provider);
    if (model != null) {
      sb.append(" model '").append(model).append('\'');
    }
    if (status >= 0) {
      sb.append(" HTTP ").append(status);
    }
    if (errorCode != null) {
      sb.append(" [").append(errorCode).append(']');
    }
    if (requestId != null) {
      sb.append(" (request ").append(requestId).append(')');
    }
    if (serverMessage != null) {
      sb.append(": ").append(serverMessage);
    }
    return sb.toString();
  }
}
