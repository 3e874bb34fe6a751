package io.sygra.llm;

import io.sygra.core.ConfigurationException;
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
 * A client for the OpenAI chat-completions API and the many servers that speak it: OpenAI, vLLM,
 * TGI, Ollama ({@code /v1}), llama.cpp, LM Studio, Groq, DeepSeek, OpenRouter, Gemini's
 * OpenAI-compatible endpoint. Posts to {@code <baseUrl>/chat/completions} with an optional {@code
 * Authorization: Bearer} key.
 *
 * <pre>{@code
 * ModelClient client = OpenAiCompatibleClient.builder()
 *     .baseUrl("http://localhost:8000/v1")   // vLLM
 *     .model("Qwen/Qwen2.5-7B-Instruct")
 *     .build();
 * ChatResponse r = client.chatBlocking(ChatRequest.builder().addMessage(ChatMessage.user("Hi")).build());
 * }</pre>
 *
 * <p>Streaming ({@link Builder#streaming(boolean)}) sends {@code stream: true} and reads the event
 * stream into one response; replies are parsed by content type, so a server that streams when not
 * asked is read correctly too. The client is thread-safe and non-blocking; this client alone does
 * not retry: wrap it with {@link ModelClients#builder()} for retries, budgets and caching.
 */
public final class OpenAiCompatibleClient implements ModelClient, RemoteEndpoint {
  /** Where requests go when no base URL is configured. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  private final String provider;
  private final String baseUrl;
  private final String model;
  private final Secret apiKey;
  private final HttpTransport transport;
  private final OpenAiChat chat;

  private OpenAiCompatibleClient(Builder b) {
    this.provider = b.provider;
    this.baseUrl = b.baseUrl;
    this.model = b.model;
    this.apiKey = b.apiKey;
    this.transport = b.http.transport();
    Headers.Builder headers = ProviderSettings.bearer(b.http.headers(), apiKey);
    HttpUrl url = HttpUrl.get(baseUrl + "/chat/completions");
    OpenAiWire.MaxTokensField field =
        b.maxTokensField != null
            ? b.maxTokensField
            : ("api.openai.com".equals(url.host())
                ? OpenAiWire.MaxTokensField.MAX_COMPLETION_TOKENS
                : OpenAiWire.MaxTokensField.MAX_TOKENS);
    this.chat =
        new OpenAiChat(
            provider,
            transport,
            m -> url,
            headers.build(),
            apiKey,
            new OpenAiWire.Options(field, b.streaming, b.streamUsage, true),
            model);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client configured from the process environment; see {@link #fromEnv(Map)}. */
  public static OpenAiCompatibleClient fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * A client configured from environment variables: {@code SYGRA_BASE_URL} (or {@code
   * OPENAI_BASE_URL}; default {@value #DEFAULT_BASE_URL}), {@code OPENAI_API_KEY} (optional for
   * local servers, required for api.openai.com), {@code SYGRA_MODEL} (the default model, optional).
   *
   * @throws ConfigurationException naming the variable at fault (never showing a key)
   */
  public static OpenAiCompatibleClient fromEnv(Map<String, String> env) {
    return builderFromEnv(env).build();
  }

  /** A builder preset from environment variables (see {@link #fromEnv(Map)}), to adjust further. */
  public static Builder builderFromEnv(Map<String, String> env) {
    Env e = new Env(env);
    Builder b = builder();
    String url = e.get("SYGRA_BASE_URL", "OPENAI_BASE_URL");
    if (url != null) {
      String var = e.nameOf("SYGRA_BASE_URL", "OPENAI_BASE_URL");
      ConfigurationException.check(
          !url.contains(","),
          var,
          "holds several URLs; use ModelClients.fromEnv() to balance them, was '" + url + "'");
      Env.from(var, () -> b.baseUrl(url));
    }
    Secret key = e.secret("OPENAI_API_KEY");
    if (key != null) {
      b.apiKey(key);
    }
    String model = e.get("SYGRA_MODEL");
    if (model != null) {
      Env.from("SYGRA_MODEL", () -> b.model(model));
    }
    return b;
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    return chat.chat(request);
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public String defaultModel() {
    return model;
  }

  @Override
  public String rateLimitScope() {
    return ProviderSettings.scope(provider, baseUrl, apiKey);
  }

  /** Closes the connection pool and dispatcher threads (unless a shared OkHttpClient was given). */
  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleClient[provider="
        + provider
        + ", baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + "]";
  }

  /** Builds an {@link OpenAiCompatibleClient}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String provider = "openai";
    private String baseUrl = DEFAULT_BASE_URL;
    private String model;
    private Secret apiKey;
    private boolean streaming;
    private boolean streamUsage = true;
    private OpenAiWire.MaxTokensField maxTokensField;
    private final ProviderSettings http = new ProviderSettings(HttpOptions.defaults());

    private Builder() {}

    /** Name used in metrics, logs and errors, e.g. {@code vllm} or {@code groq}; default openai. */
    public Builder provider(String provider) {
      this.provider = ProviderSettings.provider(provider);
      return this;
    }

    /**
     * The API root, e.g. {@code https://api.openai.com/v1}, {@code http://localhost:11434/v1} or
     * {@code https://api.deepseek.com}; {@code /chat/completions} is appended.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = ProviderSettings.apiRoot(baseUrl, "/chat/completions", "/chat/completions");
      return this;
    }

    /** The default model, used when a request names none. */
    public Builder model(String model) {
      this.model = ProviderSettings.model(model, true);
      return this;
    }

    /** The API key sent as a bearer token; null for servers that need none. */
    public Builder apiKey(Secret apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Sends {@code stream: true} and reads the event stream (default false). */
    public Builder streaming(boolean streaming) {
      this.streaming = streaming;
      return this;
    }

    /**
     * With streaming, asks for a final usage chunk ({@code stream_options.include_usage}); turn off
     * for servers that reject {@code stream_options}. Default true.
     */
    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    /**
     * Sends the token limit as {@code max_completion_tokens} (true) or {@code max_tokens} (false).
     * Default: {@code max_completion_tokens} for api.openai.com (its reasoning models reject the
     * other), {@code max_tokens} elsewhere.
     */
    public Builder useMaxCompletionTokens(boolean yes) {
      this.maxTokensField =
          yes
              ? OpenAiWire.MaxTokensField.MAX_COMPLETION_TOKENS
              : OpenAiWire.MaxTokensField.MAX_TOKENS;
      return this;
    }

    /**
     * An extra header on every request (e.g. OpenRouter's {@code HTTP-Referer}). Credential headers
     * are redacted in logs, but prefer {@link #apiKey(Secret)} for the key.
     */
    public Builder header(String name, String value) {
      http.header(name, value);
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

    /**
     * Reuses a caller-owned OkHttpClient (its pool, dispatcher and timeouts); {@link HttpOptions}
     * then only sets the default call timeout, and {@code close()} leaves the client open.
     */
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
     * @throws ConfigurationException when api.openai.com is the target and no key is set
     */
    public OpenAiCompatibleClient build() {
      ProviderSettings.checkOpenAiKey(apiKey, baseUrl);
      return new OpenAiCompatibleClient(this);
    }
  }
}
