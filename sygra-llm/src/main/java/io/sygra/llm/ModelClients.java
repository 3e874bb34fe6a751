package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.run.ReportContributor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Entry point for ready-to-use model clients: provider clients from the environment, composed with
 * resilience, an optional response cache and metrics, in the order metrics → cache → resilience →
 * endpoints (so cache hits never reach the network and metrics see hits, retries and failures).
 *
 * <pre>{@code
 * // From the environment (OPENAI_API_KEY, SYGRA_BASE_URL, SYGRA_MODEL, ...):
 * Optional<ModelClient> model = ModelClients.fromEnv();
 *
 * // Explicitly:
 * ModelMetrics metrics = ModelMetrics.create();
 * ModelClient client = ModelClients.builder()
 *     .endpoint(OpenAiCompatibleClient.builder().baseUrl("http://gpu1:8000/v1").model("qwen").build())
 *     .endpoint(OpenAiCompatibleClient.builder().baseUrl("http://gpu2:8000/v1").model("qwen").build())
 *     .resilience(ResilienceConfig.builder().requestsPerMinute(600).build())
 *     .cache(ResponseCache.persistent(runDir.resolve("cache.mv.db")))
 *     .metrics(metrics)
 *     .build();
 * }</pre>
 *
 * <p>Environment variables read by {@link #fromEnv(Map)}:
 *
 * <ul>
 *   <li>{@code SYGRA_PROVIDER}: {@code openai} (any OpenAI-compatible server), {@code azure},
 *       {@code anthropic} or {@code ollama}. When unset: {@code openai} if {@code SYGRA_BASE_URL},
 *       {@code OPENAI_BASE_URL} or {@code OPENAI_API_KEY} is set, else {@code azure} if {@code
 *       AZURE_OPENAI_ENDPOINT} is, else {@code anthropic} if {@code ANTHROPIC_API_KEY} is; Ollama's
 *       native API is only used when asked for. Nothing set means no endpoint (callers fall back to
 *       the simulated model).
 *   <li>Per provider, the variables of {@link OpenAiCompatibleClient#fromEnv(Map)} ({@code
 *       SYGRA_BASE_URL} may list several comma-separated URLs, balanced as one model), {@link
 *       AzureOpenAiClient#fromEnv(Map)}, {@link AnthropicClient#fromEnv(Map)}, {@link
 *       OllamaClient#fromEnv(Map)}.
 *   <li>Resilience overrides: {@code SYGRA_RPM} (requests per minute), {@code SYGRA_TPM} (tokens
 *       per minute), {@code SYGRA_MAX_CONCURRENCY} (per endpoint), {@code SYGRA_MAX_ATTEMPTS}.
 * </ul>
 */
public final class ModelClients {
  private ModelClients() {}

  /** A composed client from the process environment; see {@link #fromEnv(Map)}. */
  public static Optional<ModelClient> fromEnv() {
    return fromEnv(System.getenv());
  }

  /**
   * A composed client (default resilience with the environment's overrides, fresh metrics, no
   * cache) for the endpoint the environment configures, or empty when it configures none.
   *
   * @throws ConfigurationException naming the variable at fault
   */
  public static Optional<ModelClient> fromEnv(Map<String, String> env) {
    List<ModelClient> endpoints = endpointsFromEnv(env);
    if (endpoints.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(builder().endpoints(endpoints).resilience(resilienceFromEnv(env)).build());
  }

  /**
   * The provider clients the environment configures (several when {@code SYGRA_BASE_URL} lists
   * several URLs), without decorators; empty when none.
   */
  public static List<ModelClient> endpointsFromEnv(Map<String, String> env) {
    return endpointsFromEnv(env, HttpOptions.defaults());
  }

  /**
   * As {@link #endpointsFromEnv(Map)}, with the given transport settings for every endpoint, e.g.
   * to allow as many concurrent exchanges and pooled connections as the pipeline keeps records in
   * flight (the defaults allow 256 and keep 64).
   */
  public static List<ModelClient> endpointsFromEnv(Map<String, String> env, HttpOptions http) {
    ConfigurationException.check(http != null, "http", "must not be null");
    Env e = new Env(env);
    String provider = e.get("SYGRA_PROVIDER");
    if (provider == null) {
      if (e.get("SYGRA_BASE_URL", "OPENAI_BASE_URL", "OPENAI_API_KEY") != null) {
        provider = "openai";
      } else if (e.get("AZURE_OPENAI_ENDPOINT") != null) {
        provider = "azure";
      } else if (e.get("ANTHROPIC_API_KEY") != null) {
        provider = "anthropic";
      } else {
        return List.of();
      }
    }
    switch (provider.toLowerCase(Locale.ROOT)) {
      case "openai", "openai-compatible" -> {
        String urls = e.get("SYGRA_BASE_URL", "OPENAI_BASE_URL");
        List<ModelClient> out = new ArrayList<>();
        if (urls == null || !urls.contains(",")) {
          out.add(OpenAiCompatibleClient.builderFromEnv(env).httpOptions(http).build());
          return out;
        }
        String var = e.nameOf("SYGRA_BASE_URL", "OPENAI_BASE_URL");
        for (String url : urls.split(",")) {
          if (url.isBlank()) {
            continue;
          }
          OpenAiCompatibleClient.Builder b = OpenAiCompatibleClient.builder().httpOptions(http);
          Env.from(var, () -> b.baseUrl(url.trim()));
          Secret key = e.secret("OPENAI_API_KEY");
          if (key != null) {
            b.apiKey(key);
          }
          String model = e.get("SYGRA_MODEL");
          if (model != null) {
            Env.from("SYGRA_MODEL", () -> b.model(model));
          }
          out.add(Env.from(var, b::build));
        }
        return out;
      }
      case "azure" -> {
        return List.of(AzureOpenAiClient.fromEnv(env, http));
      }
      case "anthropic" -> {
        return List.of(AnthropicClient.fromEnv(env, http));
      }
      case "ollama" -> {
        return List.of(OllamaClient.fromEnv(env, http));
      }
      default ->
          throw new ConfigurationException(
              "SYGRA_PROVIDER",
              "must be openai, azure, anthropic or ollama, was '" + provider + "'");
    }
  }

  /** {@link ResilienceConfig#defaults()} with the environment's overrides applied. */
  public static ResilienceConfig resilienceFromEnv(Map<String, String> env) {
    Env e = new Env(env);
    ResilienceConfig.Builder b = ResilienceConfig.defaults().newBuilder();
    Integer rpm = intVar(e, "SYGRA_RPM");
    if (rpm != null) {
      Env.from("SYGRA_RPM", () -> b.requestsPerMinute(rpm));
    }
    Integer tpm = intVar(e, "SYGRA_TPM");
    if (tpm != null) {
      Env.from("SYGRA_TPM", () -> b.tokensPerMinute(tpm));
    }
    Integer conc = intVar(e, "SYGRA_MAX_CONCURRENCY");
    if (conc != null) {
      Env.from("SYGRA_MAX_CONCURRENCY", () -> b.maxConcurrency(conc).initialConcurrency(conc));
    }
    Integer attempts = intVar(e, "SYGRA_MAX_ATTEMPTS");
    if (attempts != null) {
      Env.from("SYGRA_MAX_ATTEMPTS", () -> b.maxAttempts(attempts));
    }
    return Env.from("SYGRA_MAX_CONCURRENCY", b::build);
  }

  private static Integer intVar(Env e, String name) {
    String v = e.get(name);
    if (v == null) {
      return null;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException ex) {
      throw new ConfigurationException(name, "must be an integer, was '" + v + "'");
    }
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Composes endpoints with resilience, cache and metrics. Every setter validates at once. Not
   * thread-safe; the built client is.
   */
  public static final class Builder {
    private final List<ModelClient> endpoints = new ArrayList<>();
    private ResilienceConfig resilience = ResilienceConfig.defaults();
    private BudgetRegistry budgets = BudgetRegistry.shared();
    private ResponseCache cache;
    private ModelMetrics metrics;

    private Builder() {}

    /** Adds an endpoint (one base URL of the model). */
    public Builder endpoint(ModelClient endpoint) {
      ConfigurationException.check(endpoint != null, "endpoint", "must not be null");
      endpoints.add(endpoint);
      return this;
    }

    /** Adds several endpoints, in order. */
    public Builder endpoints(List<? extends ModelClient> list) {
      ConfigurationException.check(list != null, "endpoints", "must not be null");
      list.forEach(this::endpoint);
      return this;
    }

    /**
     * Retry, budgets, concurrency and circuit breakers; null for none (calls go straight through).
     */
    public Builder resilience(ResilienceConfig config) {
      this.resilience = config;
      return this;
    }

    /** Where budgets are shared; default {@link BudgetRegistry#shared()}. */
    public Builder budgets(BudgetRegistry budgets) {
      ConfigurationException.check(budgets != null, "budgets", "must not be null");
      this.budgets = budgets;
      return this;
    }

    /** A response cache (not closed by the built client); null for none (the default). */
    public Builder cache(ResponseCache cache) {
      this.cache = cache;
      return this;
    }

    /** The metrics collector; default a fresh {@link ModelMetrics#create()}. */
    public Builder metrics(ModelMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /**
     * Builds the composed client. It is a {@link ReportContributor} whose child is the metrics
     * collector, so a node holding it can hand it to the pipeline's report.
     *
     * @throws ConfigurationException when no endpoint was added, or several were without resilience
     *     (balancing is part of it)
     */
    public ModelClient build() {
      ConfigurationException.check(!endpoints.isEmpty(), "endpoints", "at least one is needed");
      ConfigurationException.check(
          resilience != null || endpoints.size() == 1,
          "resilience",
          "is needed to balance " + endpoints.size() + " endpoints");
      ModelClient client =
          resilience == null
              ? endpoints.get(0)
              : ResilientModelClient.builder()
                  .endpoints(endpoints)
                  .config(resilience)
                  .budgets(budgets)
                  .build();
      if (cache != null) {
        client = CachingModelClient.wrap(client, cache);
      }
      ModelMetrics m = metrics == null ? ModelMetrics.create() : metrics;
      return new Composed(m.wrap(client), m);
    }
  }

  /** The product of {@link Builder#build()}. */
  private static final class Composed implements ModelClient, ReportContributor {
    private final ModelClient outer;
    private final ModelMetrics metrics;

    Composed(ModelClient outer, ModelMetrics metrics) {
      this.outer = outer;
      this.metrics = metrics;
    }

    @Override
    public CompletableFuture<ChatResponse> chat(ChatRequest request) {
      return outer.chat(Objects.requireNonNull(request, "request"));
    }

    @Override
    public String provider() {
      return outer.provider();
    }

    @Override
    public void close() {
      outer.close();
    }

    @Override
    public void contribute(Map<String, Object> sections) {}

    @Override
    public List<ReportContributor> children() {
      return List.of(metrics);
    }

    @Override
    public String toString() {
      return outer.toString();
    }
  }
}
