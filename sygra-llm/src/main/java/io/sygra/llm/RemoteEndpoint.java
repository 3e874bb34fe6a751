package io.sygra.llm;

/**
 * Identity of a remote model endpoint, implemented by the HTTP clients ({@link
 * OpenAiCompatibleClient}, {@link AzureOpenAiClient}, {@link AnthropicClient}, {@link
 * OllamaClient}, {@link OpenAiCompatibleEmbedder}). The resilience and cache decorators use it to
 * name circuit breakers, key caches and share rate budgets. Nothing here contains a secret.
 */
public interface RemoteEndpoint {

  /** Provider name, e.g. {@code openai}. */
  String provider();

  /** The base URL requests go to, without a trailing slash and without credentials. */
  String baseUrl();

  /** The model used when a request names none; may be null. */
  String defaultModel();

  /**
   * Which rate-limit account calls count against: provider and base URL, plus a one-way fingerprint
   * of the API key when there is one, so every client holding the same key shares one
   * requests/tokens budget. Not for display.
   */
  String rateLimitScope();
}
