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
  private final boolean retryable;

  public ModelException(
      String provider,
      String model,
      int httpStatus,
      String requestId,
      String serverMessage,
      boolean retryable,
      Throwable cause) {
    super(describe(provider, model, httpStatus, requestId, serverMessage), cause);
    this.provider = provider;
    this.model = model;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
    this.serverMessage = serverMessage;
    this.retryable = retryable;
  }

  public String provider() {
    return provider;
  }

  public String model() {
    return model;
  }

  /** HTTP status, or -1 when no response was received. */
  public int httpStatus() {
    return httpStatus;
  }

  public String requestId() {
    return requestId;
  }

  /** The server's own error message, when it sent one. */
  public String serverMessage() {
    return serverMessage;
  }

  /** True when the same request may succeed if tried again (429, 5xx, timeouts, resets...). */
  public boolean retryable() {
    return retryable;
  }

  private static String describe(
      String provider, String model, int status, String requestId, String serverMessage) {
    StringBuilder sb = new StringBuilder();
    sb.append(provider == null ? "model" : provider);
    if (model != null) {
      sb.append(" model '").append(model).append('\'');
    }
    if (status >= 0) {
      sb.append(" HTTP ").append(status);
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
