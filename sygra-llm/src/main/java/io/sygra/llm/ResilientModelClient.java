package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.CallTrace;
import io.sygra.llm.internal.client.ResilienceEngine;
import io.sygra.llm.internal.client.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A decorator that makes one model out of one or more endpoints (base URLs) and absorbs their
 * faults: retry with backoff honouring {@code Retry-After}, requests/tokens budgets enforced before
 * sending, an adaptive (AIMD) concurrency limit and a circuit breaker per endpoint, and
 * least-in-flight balancing that skips open circuits. See {@link ResilienceConfig} for the
 * behaviour and defaults.
 *
 * <pre>{@code
 * ModelClient model = ResilientModelClient.builder()
 *     .endpoint(OpenAiCompatibleClient.builder().baseUrl("http://gpu1:8000/v1").model("qwen").build())
 *     .endpoint(OpenAiCompatibleClient.builder().baseUrl("http://gpu2:8000/v1").model("qwen").build())
 *     .config(ResilienceConfig.builder().maxConcurrency(128).requestsPerMinute(3000).build())
 *     .build();
 * }</pre>
 *
 * <p>Nothing blocks: waits for permits, budget and backoff are futures completed by I/O threads or
 * a shared timer thread, so callbacks on the returned future must not block either. A failed call
 * completes with the last attempt's {@link ModelException}, whose {@link ModelException#attempts()}
 * tells how many attempts were made. Thread-safe.
 */
public final class ResilientModelClient implements ModelClient {
  private final ResilienceEngine<ModelClient> engine;
  private final ResilienceConfig config;
  private final String provider;
  private final String defaultModel;
  private final boolean tokensBudgeted;
  private final boolean closeEndpoints;

  private ResilientModelClient(Builder b) {
    this.config = b.settings.config;
    this.closeEndpoints = b.settings.closeEndpoints;
    this.provider = b.endpoints.get(0).provider();
    String model = null;
    for (ModelClient c : b.endpoints) {
      if (model == null && c instanceof RemoteEndpoint re) {
        model = re.defaultModel();
      }
    }
    this.defaultModel = model;
    this.tokensBudgeted = config.tokensPerWindow() > 0;
    this.engine = b.settings.engine(b.endpoints);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<ChatResponse> chat(ChatRequest request) {
    Objects.requireNonNull(request, "request");
    String model = request.model() != null ? request.model() : defaultModel;
    String budgetModel = model == null ? "default" : model;
    long estimate = 0;
    if (tokensBudgeted) {
      estimate =
          TokenEstimator.prompt(request, model)
              + (request.maxTokens() != null
                  ? request.maxTokens()
                  : config.completionTokensEstimate());
    }
    return engine.call(
        budgetModel,
        estimate,
        CallTrace.of(request),
        client -> client.chat(request),
        r ->
            r.usage().totalTokens() > 0
                ? r.usage().totalTokens()
                : r.usage().promptTokens() + r.usage().completionTokens());
  }

  /** The first endpoint's provider. */
  @Override
  public String provider() {
    return provider;
  }

  /** The default model of the first endpoint that has one, or null. */
  public String defaultModel() {
    return defaultModel;
  }

  /** The settings this client runs with. */
  public ResilienceConfig config() {
    return config;
  }

  /** A snapshot of each endpoint's circuit state and concurrency. */
  public List<EndpointStatus> endpointStatus() {
    return ResilientSettings.status(engine);
  }

  /** The endpoint clients, in the order given. */
  public List<ModelClient> endpoints() {
    List<ModelClient> out = new ArrayList<>();
    engine.endpoints().forEach(e -> out.add(e.client()));
    return out;
  }

  /** Closes the endpoint clients (unless built with {@code closeEndpoints(false)}). */
  @Override
  public void close() {
    if (closeEndpoints) {
      for (ResilienceEngine.Endpoint<ModelClient> e : engine.endpoints()) {
        e.client().close();
      }
    }
  }

  @Override
  public String toString() {
    return "ResilientModelClient" + endpoints();
  }

  /** Builds a {@link ResilientModelClient}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final List<ModelClient> endpoints = new ArrayList<>();
    private final ResilientSettings settings = new ResilientSettings();

    private Builder() {}

    /** Adds an endpoint (a base URL of the model); at least one is needed. */
    public Builder endpoint(ModelClient endpoint) {
      ConfigurationException.check(endpoint != null, "endpoint", "must not be null");
      endpoints.add(endpoint);
      return this;
    }

    /** Adds several endpoints. */
    public Builder endpoints(List<? extends ModelClient> list) {
      ConfigurationException.check(list != null, "endpoints", "must not be null");
      list.forEach(this::endpoint);
      return this;
    }

    /**
     * Retry, budget, concurrency and circuit-breaker settings; default {@link
     * ResilienceConfig#defaults()}.
     */
    public Builder config(ResilienceConfig config) {
      settings.config(config);
      return this;
    }

    /** Where budgets are shared; default {@link BudgetRegistry#shared()}. */
    public Builder budgets(BudgetRegistry budgets) {
      settings.budgets(budgets);
      return this;
    }

    /** Timer for backoff and budget waits; default a shared daemon thread. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      settings.scheduler(scheduler);
      return this;
    }

    /** Whether {@code close()} closes the endpoint clients (default true). */
    public Builder closeEndpoints(boolean close) {
      settings.closeEndpoints = close;
      return this;
    }

    /**
     * Builds the client.
     *
     * @throws ConfigurationException when no endpoint was added
     */
    public ResilientModelClient build() {
      ConfigurationException.check(!endpoints.isEmpty(), "endpoints", "at least one is needed");
      return new ResilientModelClient(this);
    }
  }
}
