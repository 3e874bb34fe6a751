package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.HttpTransport;
import io.sygra.llm.internal.client.OpenAiChat;
import io.sygra.llm.internal.client.OpenAiWire;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * A client for Azure OpenAI chat completions: posts to {@code
 * <endpoint>/openai/deployments/<deployment>/chat/completions?api-version=<version>} with the key
 * in the {@code api-key} header. The request's model, when set, names the deployment, so one client
 * can reach several deployments of a resource; otherwise the builder's deployment is used.
 *
 * <p>Azure's content filter answers 400 with code {@code content_filter} (a {@link
 * ContentFilterException}) for prompts, and {@code finish_reason: content_filter} for replies. A
 * 429 carries {@code retry-after-ms}, honoured by the retry decorator.
 */
public final class AzureOpenAiClient implements ModelClient, RemoteEndpoint {
  /** The API version used when none is configured (the latest GA data-plane version). */
  public static final String DEFAULT_API_VERSION = "2024-10-21";

  private final String endpoint;
  private final String deployment;
  private final String apiVersion;
  private final Secret apiKey;
  private final HttpTransport transport;
  private final OpenAiChat chat;

  private AzureOpenAiClient(Builder b) {
    this.endpoint = b.endpoint;
    this.deployment = b.deployment;
    this.apiVersion = b.apiVersion;
    this.apiKey = b.apiKey;
    this.transport = b.http.transport();
    Headers headers = b.http.headers("api-key", apiKey.reveal()).build();
    HttpUrl root = HttpUrl.get(endpoint);
    this.chat =
        new OpenAiChat(
            "azure",
            transport,
            dep ->
                root.newBuilder()
                    .addPathSegment("openai")
                    .addPathSegment("deployments")
                    .addPathSegment(dep)
                    .addPathSegment("chat")
                    .addPathSegment("completions")
                    .addQueryParameter("api-version", apiVersion)
                    .build(),
            headers,
            apiKey,
            new OpenAiWire.Options(
                b.maxCompletionTokens
                    ? OpenAiWire.MaxTokensField.MAX_COMPLETION_TOKENS
                    : OpenAiWire.MaxTokensField.MAX_TOKENS,
                b.streaming,
                true,
                false),
            deployment);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client configured from the process environment; see {@link #fromEnv(Map)}. */
  public static AzureOpenAiClient fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * A client configured from environment variables: {@code AZURE_OPENAI_ENDPOINT} (e.g. {@code
   * https://my-resource.openai.azure.com}), {@code AZURE_OPENAI_API_KEY}, {@code
   * AZURE_OPENAI_DEPLOYMENT} (or {@code SYGRA_MODEL}), and optionally {@code OPENAI_API_VERSION}
   * (or {@code AZURE_OPENAI_API_VERSION}).
   *
   * @throws ConfigurationException naming the missing or invalid variable (never showing a key)
   */
  public static AzureOpenAiClient fromEnv(Map<String, String> env) {
    return fromEnv(env, HttpOptions.defaults());
  }

  /** As {@link #fromEnv(Map)}, with the given transport settings. */
  static AzureOpenAiClient fromEnv(Map<String, String> env, HttpOptions http) {
    Env e = new Env(env);
    Builder b = builder().httpOptions(http);
    String endpoint = e.get("AZURE_OPENAI_ENDPOINT");
    ConfigurationException.check(endpoint != null, "AZURE_OPENAI_ENDPOINT", "is not set");
    Env.from("AZURE_OPENAI_ENDPOINT", () -> b.endpoint(endpoint));
    Secret key = e.secret("AZURE_OPENAI_API_KEY");
    ConfigurationException.check(key != null, "AZURE_OPENAI_API_KEY", "is not set");
    b.apiKey(key);
    String deployment = e.get("AZURE_OPENAI_DEPLOYMENT", "SYGRA_MODEL");
    if (deployment != null) {
      Env.from(e.nameOf("AZURE_OPENAI_DEPLOYMENT", "SYGRA_MODEL"), () -> b.deployment(deployment));
    }
    String version = e.get("OPENAI_API_VERSION", "AZURE_OPENAI_API_VERSION");
    if (version != null) {
      Env.from(
          e.nameOf("OPENAI_API_VERSION", "AZURE_OPENAI_API_VERSION"), () -> b.apiVersion(version));
    }
    return b.build();
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return chat.chat(request);
  }

  @Override
  public String provider() {
    return "azure";
  }

  @Override
  public String baseUrl() {
    return endpoint;
  }

  /** The default deployment. */
  @Override
  public String defaultModel() {
    return deployment;
  }

  @Override
  public String rateLimitScope() {
    return "azure " + endpoint + " key:" + apiKey.fingerprint();
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "AzureOpenAiClient[endpoint="
        + endpoint
        + ", deployment="
        + deployment
        + ", apiVersion="
        + apiVersion
        + ", apiKey=***]";
  }

  /** Builds an {@link AzureOpenAiClient}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String endpoint;
    private String deployment;
    private String apiVersion = DEFAULT_API_VERSION;
    private Secret apiKey;
    private boolean streaming;
    private boolean maxCompletionTokens = true;
    private final ProviderSettings http = new ProviderSettings(HttpOptions.defaults());

    private Builder() {}

    /** The resource endpoint, e.g. {@code https://my-resource.openai.azure.com}. */
    public Builder endpoint(String endpoint) {
      this.endpoint = HttpSupport.baseUrl("endpoint", endpoint);
      return this;
    }

    /** The default deployment name, used when a request names no model. */
    public Builder deployment(String deployment) {
      ConfigurationException.check(
          deployment != null && deployment.matches("[A-Za-z0-9._-]{1,64}"),
          "deployment",
          "must match [A-Za-z0-9._-]{1,64}, was '" + deployment + "'");
      this.deployment = deployment;
      return this;
    }

    /** The {@code api-version} query parameter, e.g. {@code 2024-10-21}. */
    public Builder apiVersion(String apiVersion) {
      ConfigurationException.check(
          apiVersion != null && apiVersion.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?"),
          "apiVersion",
          "must look like 2024-10-21 or 2025-01-01-preview, was '" + apiVersion + "'");
      this.apiVersion = apiVersion;
      return this;
    }

    /** The resource key, sent in the {@code api-key} header. Required. */
    public Builder apiKey(Secret apiKey) {
      this.apiKey = ProviderSettings.requiredKey(apiKey);
      return this;
    }

    /** Sends {@code stream: true} and reads the event stream (default false). */
    public Builder streaming(boolean streaming) {
      this.streaming = streaming;
      return this;
    }

    /**
     * Sends the token limit as {@code max_completion_tokens} (default true, required by reasoning
     * deployments) or as {@code max_tokens} (for API versions before 2024-09-01).
     */
    public Builder useMaxCompletionTokens(boolean yes) {
      this.maxCompletionTokens = yes;
      return this;
    }

    /**
     * Transport settings (timeouts, concurrent exchanges, pool); default {@link
     * HttpOptions#defaults()}.
     */
    public Builder httpOptions(HttpOptions httpOptions) {
      http.httpOptions(httpOptions);
      return this;
    }

    /** Reuses a caller-owned OkHttpClient; {@code close()} then leaves it open. */
    public Builder okHttpClient(OkHttpClient client) {
      http.okHttpClient(client);
      return this;
    }

    /** Clock for HTTP-date {@code Retry-After} values; for tests. */
    public Builder clock(Clock clock) {
      http.clock(clock);
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws ConfigurationException when the endpoint or key is missing
     */
    public AzureOpenAiClient build() {
      ConfigurationException.check(endpoint != null, "endpoint", "must be set");
      ConfigurationException.check(apiKey != null, "apiKey", "must be set");
      return new AzureOpenAiClient(this);
    }
  }
}
