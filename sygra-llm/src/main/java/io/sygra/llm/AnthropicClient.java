package io.sygra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.AnthropicWire;
import io.sygra.llm.internal.client.ErrorMapper;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.HttpTransport;
import io.sygra.llm.internal.client.WireJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for the Anthropic Messages API ({@code POST <baseUrl>/v1/messages}, headers {@code
 * x-api-key} and {@code anthropic-version}).
 *
 * <p>Mapping from {@link ChatRequest}: system and developer messages form the {@code system}
 * prompt; images become {@code image} blocks (base64 for data URLs, else by URL); assistant tool
 * calls become {@code tool_use} blocks and tool messages {@code tool_result} blocks; {@code
 * maxTokens} defaults to {@link Builder#defaultMaxTokens(int)} because the API requires it; {@code
 * toolChoice} {@code required} maps to {@code any}. A {@link ResponseFormat.JsonSchema} is served
 * by forcing a tool with that input schema and returning its input as the reply text; {@link
 * ResponseFormat.JsonObject} adds a one-line instruction to the system prompt. The API has no seed,
 * penalties or logprobs: they are dropped with a warning (once per client). Extended thinking is
 * enabled through {@code extraBody("thinking", ...)}; thinking blocks come back as {@link
 * ChatResponse#reasoning()}. Usage: prompt tokens include cache reads and writes; {@code
 * cachedTokens} is {@code cache_read_input_tokens}.
 */
public final class AnthropicClient implements ModelClient, RemoteEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(AnthropicClient.class);

  /** Where requests go when no base URL is configured. */
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** The {@code anthropic-version} header sent by default. */
  public static final String DEFAULT_VERSION = "2023-06-01";

  private final String baseUrl;
  private final String model;
  private final Secret apiKey;
  private final int defaultMaxTokens;
  private final HttpTransport transport;
  private final Headers headers;
  private final HttpUrl url;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private AnthropicClient(Builder b) {
    this.baseUrl = b.baseUrl;
    this.model = b.model;
    this.apiKey = b.apiKey;
    this.defaultMaxTokens = b.defaultMaxTokens;
    this.transport = b.http.transport();
    this.headers =
        b.http.headers("anthropic-version", b.version).set("x-api-key", apiKey.reveal()).build();
    this.url = HttpUrl.get(baseUrl + "/v1/messages");
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client configured from the process environment; see {@link #fromEnv(Map)}. */
  public static AnthropicClient fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * A client configured from environment variables: {@code ANTHROPIC_API_KEY} (required), {@code
   * ANTHROPIC_BASE_URL} (optional) and {@code ANTHROPIC_MODEL} or {@code SYGRA_MODEL} (the default
   * model, optional).
   *
   * @throws ConfigurationException naming the variable at fault (never showing the key)
   */
  public static AnthropicClient fromEnv(Map<String, String> env) {
    return fromEnv(env, HttpOptions.defaults());
  }

  /** As {@link #fromEnv(Map)}, with the given transport settings. */
  static AnthropicClient fromEnv(Map<String, String> env, HttpOptions http) {
    Env e = new Env(env);
    Builder b = builder().httpOptions(http);
    Secret key = e.secret("ANTHROPIC_API_KEY");
    ConfigurationException.check(key != null, "ANTHROPIC_API_KEY", "is not set");
    b.apiKey(key);
    String url = e.get("ANTHROPIC_BASE_URL");
    if (url != null) {
      Env.from("ANTHROPIC_BASE_URL", () -> b.baseUrl(url));
    }
    String model = e.get("ANTHROPIC_MODEL", "SYGRA_MODEL");
    if (model != null) {
      Env.from(e.nameOf("ANTHROPIC_MODEL", "SYGRA_MODEL"), () -> b.model(model));
    }
    return b.build();
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    String m = request.model() != null ? request.model() : model;
    if (m == null) {
      return CompletableFuture.failedFuture(
          new ConfigurationException(
              "model", "no model: set ChatRequest.model(...) or the client's default model"));
    }
    ErrorMapper.CallInfo info = new ErrorMapper.CallInfo("anthropic", m, apiKey);
    Request http;
    String schemaTool;
    try {
      warnUnsupported(AnthropicWire.unsupported(request));
      schemaTool = AnthropicWire.schemaToolName(request);
      byte[] body = WireJson.writeBytes(AnthropicWire.request(request, m, defaultMaxTokens, info));
      http =
          new Request.Builder()
              .url(url)
              .headers(headers)
              .header("Accept", "application/json")
              .post(HttpTransport.json(body))
              .build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long start = System.nanoTime();
    return transport.send(
        http, request.timeout(), info, response -> read(response, info, schemaTool, start));
  }

  private ChatResponse read(
      Response response, ErrorMapper.CallInfo info, String schemaTool, long start)
      throws IOException {
    if (!response.isSuccessful()) {
      throw HttpSupport.errorFor(response, info, transport.clock());
    }
    String requestId = HttpSupport.requestId(response.headers());
    String body = HttpSupport.bodyText(response);
    HttpTransport.WIRE_LOG.debug("<-- {} {}", response.code(), info.redact(body));
    JsonNode root = HttpSupport.parseJson(body, info, response.code(), requestId);
    return AnthropicWire.parse(
        root,
        info,
        response.code(),
        requestId,
        schemaTool,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private void warnUnsupported(List<String> params) {
    for (String p : params) {
      if (warned.add(p)) {
        LOG.warn("anthropic: the Messages API has no '{}' parameter; it is not sent", p);
      }
    }
  }

  @Override
  public String provider() {
    return "anthropic";
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
    return "anthropic " + baseUrl + " key:" + apiKey.fingerprint();
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "AnthropicClient[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=***]";
  }

  /** Builds an {@link AnthropicClient}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String baseUrl = DEFAULT_BASE_URL;
    private String model;
    private Secret apiKey;
    private String version = DEFAULT_VERSION;
    private int defaultMaxTokens = 4096;
    private final ProviderSettings http = new ProviderSettings(HttpOptions.defaults());

    private Builder() {}

    /**
     * The API root, default {@value AnthropicClient#DEFAULT_BASE_URL}; {@code /v1/messages} is
     * appended.
     */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = ProviderSettings.apiRoot(baseUrl, "/v1/messages", "/v1/messages", "/v1");
      return this;
    }

    /** The default model, e.g. {@code claude-sonnet-4-20250514}. */
    public Builder model(String model) {
      this.model = ProviderSettings.model(model, true);
      return this;
    }

    /** The API key, sent as {@code x-api-key}. Required. */
    public Builder apiKey(Secret apiKey) {
      this.apiKey = ProviderSettings.requiredKey(apiKey);
      return this;
    }

    /** The {@code anthropic-version} header, default {@value AnthropicClient#DEFAULT_VERSION}. */
    public Builder version(String version) {
      ConfigurationException.check(
          version != null && version.matches("\\d{4}-\\d{2}-\\d{2}"),
          "version",
          "must look like 2023-06-01, was '" + version + "'");
      this.version = version;
      return this;
    }

    /** {@code max_tokens} for requests that set none (the API requires it); 1 to 1000000. */
    public Builder defaultMaxTokens(int n) {
      ConfigurationException.check(
          n >= 1 && n <= 1_000_000, "defaultMaxTokens", "must be in [1, 1000000], was " + n);
      this.defaultMaxTokens = n;
      return this;
    }

    /** An extra header on every request, e.g. {@code anthropic-beta}. */
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
     * @throws ConfigurationException when no API key is set
     */
    public AnthropicClient build() {
      ConfigurationException.check(apiKey != null, "apiKey", "must be set");
      return new AnthropicClient(this);
    }
  }
}
