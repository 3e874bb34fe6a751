package io.sygra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.ErrorMapper;
import io.sygra.llm.internal.client.HttpSupport;
import io.sygra.llm.internal.client.HttpTransport;
import io.sygra.llm.internal.client.WireJson;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An OpenAI-compatible {@code /embeddings} client (OpenAI, Azure-compatible gateways, vLLM, TEI,
 * Ollama {@code /v1}, LM Studio...). Lists longer than {@link Builder#maxBatchSize(int)} are sent
 * as several requests in parallel and joined in order. Vectors are read from float arrays or from
 * base64 ({@code encoding_format: base64}) replies. Wrap it with {@link ResilientEmbedder} for
 * retries, budgets and balancing.
 */
public final class OpenAiCompatibleEmbedder implements Embedder, RemoteEndpoint {
  private final String provider;
  private final String baseUrl;
  private final String model;
  private final Secret apiKey;
  private final Integer requestedDimensions;
  private final int maxBatchSize;
  private final HttpTransport transport;
  private final Headers headers;
  private final HttpUrl url;
  private volatile int dimensions;

  private OpenAiCompatibleEmbedder(Builder b) {
    this.provider = b.provider;
    this.baseUrl = b.baseUrl;
    this.model = b.model;
    this.apiKey = b.apiKey;
    this.requestedDimensions = b.dimensions;
    this.dimensions = b.dimensions == null ? -1 : b.dimensions;
    this.maxBatchSize = b.maxBatchSize;
    this.transport = b.http.transport();
    this.headers = ProviderSettings.bearer(b.http.headers(), apiKey).build();
    this.url = HttpUrl.get(baseUrl + "/embeddings");
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** An embedder configured from the process environment; see {@link #fromEnv(Map)}. */
  public static OpenAiCompatibleEmbedder fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * An embedder configured from environment variables: {@code SYGRA_EMBEDDING_BASE_URL} (else
   * {@code SYGRA_BASE_URL} or {@code OPENAI_BASE_URL}, default the OpenAI API), {@code
   * OPENAI_API_KEY}, {@code SYGRA_EMBEDDING_MODEL} (default {@code text-embedding-3-small}) and
   * {@code SYGRA_EMBEDDING_DIMENSIONS} (optional).
   *
   * @throws ConfigurationException naming the variable at fault (never showing a key)
   */
  public static OpenAiCompatibleEmbedder fromEnv(Map<String, String> env) {
    Env e = new Env(env);
    Builder b = builder();
    String[] urlVars = {"SYGRA_EMBEDDING_BASE_URL", "SYGRA_BASE_URL", "OPENAI_BASE_URL"};
    String url = e.get(urlVars);
    if (url != null) {
      String var = e.nameOf(urlVars);
      String first = url.split(",")[0];
      Env.from(var, () -> b.baseUrl(first));
    }
    Secret key = e.secret("OPENAI_API_KEY");
    if (key != null) {
      b.apiKey(key);
    }
    String model = e.get("SYGRA_EMBEDDING_MODEL");
    if (model != null) {
      Env.from("SYGRA_EMBEDDING_MODEL", () -> b.model(model));
    }
    String dims = e.get("SYGRA_EMBEDDING_DIMENSIONS");
    if (dims != null) {
      try {
        int d = Integer.parseInt(dims);
        Env.from("SYGRA_EMBEDDING_DIMENSIONS", () -> b.dimensions(d));
      } catch (NumberFormatException ex) {
        throw new ConfigurationException(
            "SYGRA_EMBEDDING_DIMENSIONS", "must be an integer, was '" + dims + "'");
      }
    }
    return b.build();
  }

  @Override
  public CompletableFuture<float[][]> embed(List<String> texts) {
    return EmbedBatches.embed(texts, maxBatchSize, this::embedBatch);
  }

  private CompletableFuture<float[][]> embedBatch(List<String> texts) {
    ErrorMapper.CallInfo info = new ErrorMapper.CallInfo(provider, model, apiKey);
    Request http;
    try {
      ObjectNode body = WireJson.object();
      body.put("model", model);
      ArrayNode input = body.putArray("input");
      for (String t : texts) {
        ConfigurationException.check(t != null, "texts", "must not contain null");
        input.add(t);
      }
      body.put("encoding_format", "float");
      if (requestedDimensions != null) {
        body.put("dimensions", requestedDimensions);
      }
      http =
          new Request.Builder()
              .url(url)
              .headers(headers)
              .post(HttpTransport.json(WireJson.writeBytes(body)))
              .build();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return transport.send(http, null, info, response -> read(response, info, texts.size()));
  }

  private float[][] read(Response response, ErrorMapper.CallInfo info, int expected)
      throws IOException {
    if (!response.isSuccessful()) {
      throw HttpSupport.errorFor(response, info, transport.clock());
    }
    String requestId = HttpSupport.requestId(response.headers());
    String text = HttpSupport.bodyText(response);
    JsonNode root = HttpSupport.parseJson(text, info, response.code(), requestId);
    JsonNode data = root.get("data");
    if (data == null || !data.isArray()) {
      if (root.has("error")) {
        throw ErrorMapper.fromErrorObject(
            info, response.code(), requestId, ErrorMapper.fromJson(root));
      }
      throw ErrorMapper.malformed(
          info,
          response.code(),
          requestId,
          "200 response is not an embedding list (no 'data')",
          null);
    }
    if (data.size() != expected) {
      throw ErrorMapper.malformed(
          info,
          response.code(),
          requestId,
          "expected " + expected + " embeddings, got " + data.size(),
          null);
    }
    float[][] out = new float[expected][];
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      int index = item.path("index").asInt(i);
      if (index < 0 || index >= expected || out[index] != null) {
        throw ErrorMapper.malformed(
            info, response.code(), requestId, "bad or repeated embedding index " + index, null);
      }
      out[index] = vector(item.get("embedding"), info, response.code(), requestId);
    }
    int dims = out[0].length;
    for (float[] v : out) {
      if (v.length != dims) {
        throw ErrorMapper.malformed(
            info, response.code(), requestId, "embeddings of different lengths", null);
      }
    }
    if (dimensions > 0 && dims != dimensions) {
      throw ErrorMapper.malformed(
          info,
          response.code(),
          requestId,
          "expected " + dimensions + " dimensions, got " + dims,
          null);
    }
    dimensions = dims;
    return out;
  }

  private static float[] vector(
      JsonNode e, ErrorMapper.CallInfo info, int status, String requestId) {
    if (e != null && e.isArray()) {
      float[] v = new float[e.size()];
      for (int i = 0; i < v.length; i++) {
        JsonNode x = e.get(i);
        if (!x.isNumber()) {
          throw ErrorMapper.malformed(info, status, requestId, "non-numeric embedding value", null);
        }
        v[i] = x.floatValue();
      }
      return v;
    }
    if (e != null && e.isTextual()) {
      byte[] bytes = Base64.getDecoder().decode(e.asText());
      ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      float[] v = new float[bytes.length / 4];
      buf.asFloatBuffer().get(v);
      return v;
    }
    throw ErrorMapper.malformed(info, status, requestId, "embedding is missing", null);
  }

  @Override
  public int dimensions() {
    return dimensions;
  }

  @Override
  public String model() {
    return model;
  }

  @Override
  public String provider() {
    return provider;
  }

  @Override
  public int maxBatchSize() {
    return maxBatchSize;
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

  @Override
  public void close() {
    transport.close();
  }

  @Override
  public String toString() {
    return "OpenAiCompatibleEmbedder[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "none" : "***")
        + "]";
  }

  /** Builds an {@link OpenAiCompatibleEmbedder}; every setter validates at once. */
  public static final class Builder {
    private String provider = "openai";
    private String baseUrl = OpenAiCompatibleClient.DEFAULT_BASE_URL;
    private String model = "text-embedding-3-small";
    private Secret apiKey;
    private Integer dimensions;
    private int maxBatchSize = 256;
    private final ProviderSettings http =
        new ProviderSettings(
            HttpOptions.defaults()
                .newBuilder()
                .callTimeout(Duration.ofMinutes(2))
                .readTimeout(Duration.ofMinutes(2))
                .build());

    private Builder() {}

    /** Name used in metrics, logs and errors; default openai. */
    public Builder provider(String provider) {
      this.provider = ProviderSettings.provider(provider);
      return this;
    }

    /** The API root; {@code /embeddings} is appended. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = HttpSupport.baseUrl("baseUrl", baseUrl);
      return this;
    }

    /** The embedding model, default {@code text-embedding-3-small}. */
    public Builder model(String model) {
      this.model = ProviderSettings.model(model, false);
      return this;
    }

    /** The API key sent as a bearer token; null for servers that need none. */
    public Builder apiKey(Secret apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /**
     * Asks the server for vectors of this length ({@code dimensions}, supported by the
     * text-embedding-3 models) and checks replies against it; 1 to 65536.
     */
    public Builder dimensions(int dimensions) {
      ConfigurationException.check(
          dimensions >= 1 && dimensions <= 65_536,
          "dimensions",
          "must be in [1, 65536], was " + dimensions);
      this.dimensions = dimensions;
      return this;
    }

    /** Most texts per request (OpenAI accepts 2048); 1 to 100000. Default 256. */
    public Builder maxBatchSize(int n) {
      ConfigurationException.check(
          n >= 1 && n <= 100_000, "maxBatchSize", "must be in [1, 100000], was " + n);
      this.maxBatchSize = n;
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
     * Builds the embedder.
     *
     * @throws ConfigurationException when api.openai.com is the target and no key is set
     */
    public OpenAiCompatibleEmbedder build() {
      ProviderSettings.checkOpenAiKey(apiKey, baseUrl);
      return new OpenAiCompatibleEmbedder(this);
    }
  }
}
