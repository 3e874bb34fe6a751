package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.ErrorMapper;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.HttpTransport;
import io.sygra.llm.internal.client.OllamaWire;
import io.sygra.llm.internal.client.WireJson;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
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
 * A client for Ollama's native chat API ({@code POST <host>/api/chat}, no key). Use it for what the
 * OpenAI-compatible {@code /v1} endpoint lacks: {@code think}, {@code keep_alive}, {@code
 * options.num_ctx} and other {@code options} (pass them through {@code extraBody}; an {@code
 * options} map there is merged into the generated one).
 *
 * <p>Mapping: the token limit is {@code options.num_predict}; images must be base64 {@code data:}
 * URLs; a JSON-schema response format is sent as {@code format}; replies with tool calls report
 * {@code finish_reason} {@code tool_calls} (Ollama says {@code stop}); Ollama sends no tool-call
 * ids, so {@link ToolCall#id()} is empty. Usage comes from {@code prompt_eval_count} and {@code
 * eval_count}. {@code logprobs} and a forced {@code toolChoice} are not supported and are dropped
 * with a warning.
 */
public final class OllamaClient implements ModelClient, RemoteEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(OllamaClient.class);

  /** Where requests go when no host is configured. */
  public static final String DEFAULT_HOST = "http://localhost:11434";

  private final String host;
  private final String model;
  private final HttpTransport transport;
  private final HttpUrl url;
  private final Headers headers;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  private OllamaClient(Builder b) {
    this.host = b.host;
    this.model = b.model;
    this.transport = b.http.transport();
    this.url = HttpUrl.get(host + "/api/chat");
    this.headers = b.http.headers().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client configured from the process environment; see {@link #fromEnv(Map)}. */
  public static OllamaClient fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * A client configured from environment variables: {@code OLLAMA_HOST} (as the Ollama CLI reads
   * it: {@code host:port}, {@code :port}, or a URL; default {@value #DEFAULT_HOST}) and {@code
   * OLLAMA_MODEL} or {@code SYGRA_MODEL} (the default model).
   *
   * @throws ConfigurationException naming the variable at fault
   */
  public static OllamaClient fromEnv(Map<String, String> env) {
    return fromEnv(env, HttpOptions.defaults());
  }

  /** As {@link #fromEnv(Map)}, with the given transport settings. */
  static OllamaClient fromEnv(Map<String, String> env, HttpOptions http) {
    Env e = new Env(env);
    Builder b = builder().httpOptions(http);
    String host = e.get("OLLAMA_HOST");
    if (host != null) {
      Env.from("OLLAMA_HOST", () -> b.host(host));
    }
    String model = e.get("OLLAMA_MODEL", "SYGRA_MODEL");
    if (model != null) {
      Env.from(e.nameOf("OLLAMA_MODEL", "SYGRA_MODEL"), () -> b.model(model));
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
    ErrorMapper.CallInfo info = new ErrorMapper.CallInfo("ollama", m, null);
    Request http;
    try {
      for (String p : OllamaWire.unsupported(request)) {
        if (warned.add(p)) {
          LOG.warn("ollama: /api/chat has no '{}' parameter; it is not sent", p);
        }
      }
      byte[] body = WireJson.writeBytes(OllamaWire.request(request, m, info));
      http = new Request.Builder().url(url).headers(headers).post(HttpTransport.json(body)).build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    long start = System.nanoTime();
    return transport.send(http, request.timeout(), info, response -> read(response, info, start));
  }

  private ChatResponse read(Response response, ErrorMapper.CallInfo info, long start)
      throws IOException {
    if (!response.isSuccessful()) {
      throw HttpSupport.errorFor(response, info, transport.clock());
    }
    String requestId = HttpSupport.requestId(response.headers());
    OllamaWire.Reply reply = new OllamaWire.Reply(info, requestId);
    if (HttpSupport.contentType(response).equals("application/x-ndjson")) {
      reply.readNdjson(response.body().source(), response.code());
    } else {
      String body = HttpSupport.bodyText(response);
      HttpTransport.WIRE_LOG.debug("<-- {} {}", response.code(), body);
      reply.add(HttpSupport.parseJson(body, info, response.code(), requestId), response.code());
    }
    return reply.response(Duration.ofNanos(System.nanoTime() - start));
  }

  @Override
  public String provider() {
    return "ollama";
  }

  @Override
  public String baseUrl() {
    return host;
  }

  @Override
  public String defaultModel() {
    return model;
  }

  @Override
  public String rateLimitScope() {
    return "ollama " + host;
  }

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "OllamaClient[host=" + host + ", model=" + model + "]";
  }

  /** Builds an {@link OllamaClient}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private String model;
    private final ProviderSettings http = new ProviderSettings(HttpOptions.defaults());

    private Builder() {}

    /**
     * The server, as a URL ({@code http://gpu-box:11434}) or in {@code OLLAMA_HOST} form ({@code
     * gpu-box}, {@code 0.0.0.0:11434}, {@code :11434}); the bind-all address 0.0.0.0 means
     * localhost, and the port defaults to 11434.
     */
    public Builder host(String host) {
      this.host = normalizeHost(host);
      return this;
    }

    /** The default model, e.g. {@code llama3.2}. */
    public Builder model(String model) {
      this.model = ProviderSettings.model(model, true);
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

    /** Builds the client. */
    public OllamaClient build() {
      return new OllamaClient(this);
    }

    static String normalizeHost(String value) {
      ConfigurationException.check(
          value != null && !value.isBlank(), "host", "must not be blank, was '" + value + "'");
      String v = value.trim();
      if (!v.contains("://")) {
        if (v.startsWith(":")) {
          v = "localhost" + v;
        }
        v = "http://" + v;
      }
      HttpUrl parsed = HttpUrl.parse(v);
      ConfigurationException.check(
          parsed != null, "host", "must be a host, host:port or http(s) URL, was '" + value + "'");
      HttpUrl.Builder b = parsed.newBuilder();
      if (parsed.host().equals("0.0.0.0")) {
        b.host("localhost");
      }
      boolean explicitPort =
          v.matches("(?i)https?://[^/]*:\\d+.*") || v.matches("(?i)https?://\\[[^]]*]:\\d+.*");
      if (!explicitPort && parsed.scheme().equals("http") && !value.trim().contains("://")) {
        b.port(11434);
      }
      return HttpSupport.baseUrl("host", b.build().toString());
    }
  }
}
