package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.ResilienceEngine;
import io.sygra.llm.internal.client.Schedulers;
import io.sygra.llm.internal.client.TokenEstimator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@link Embedder} counterpart of {@link ResilientModelClient}: the same retry, budgets, AIMD
 * concurrency, circuit breakers and least-in-flight balancing over one or more endpoints, applied
 * per batch (lists longer than the endpoints' batch size are split, so a failed batch is retried
 * alone). Token budgets are charged with the tokenizer's count of the inputs.
 */
public final class ResilientEmbedder implements Embedder {
  private final ResilienceEngine<Embedder> engine;
  private final ResilienceConfig config;
  private final Embedder first;
  private final int batchSize;
  private final boolean closeEndpoints;

  private ResilientEmbedder(Builder b) {
    this.config = b.config;
    this.first = b.endpoints.get(0);
    this.closeEndpoints = b.closeEndpoints;
    int batch = Integer.MAX_VALUE;
    for (Embedder e : b.endpoints) {
      batch = Math.min(batch, e.maxBatchSize());
    }
    this.batchSize = batch;
    boolean budgeted = config.requestsPerWindow() > 0 || config.tokensPerWindow() > 0;
    BudgetRegistry registry = b.budgets;
    ScheduledExecutorService scheduler = b.scheduler;
    this.engine =
        new ResilienceEngine<>(
            ResilientModelClient.endpointSpecs(b.endpoints),
            config,
            budgeted
                ? (scope, m) ->
                    registry.budget(
                        scope,
                        m,
                        config.requestsPerWindow(),
                        config.tokensPerWindow(),
                        config.budgetWindow(),
                        scheduler)
                : null,
            scheduler);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<float[][]> embed(List<String> texts) {
    if (texts == null) {
      return CompletableFuture.failedFuture(new NullPointerException("texts"));
    }
    if (texts.isEmpty()) {
      return CompletableFuture.completedFuture(new float[0][]);
    }
    List<CompletableFuture<float[][]>> parts = new ArrayList<>();
    for (int i = 0; i < texts.size(); i += batchSize) {
      List<String> batch = List.copyOf(texts.subList(i, Math.min(texts.size(), i + batchSize)));
      long estimate = 0;
      if (config.tokensPerWindow() > 0) {
        for (String t : batch) {
          estimate += TokenEstimator.count(t, model());
        }
      }
      parts.add(engine.call(model(), estimate, null, e -> e.embed(batch), r -> 0L));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              float[][] out = new float[texts.size()][];
              int k = 0;
              for (CompletableFuture<float[][]> p : parts) {
                for (float[] vec : p.join()) {
                  out[k++] = vec;
                }
              }
              return out;
            });
  }

  @Override
  public int dimensions() {
    for (ResilienceEngine.Endpoint<Embedder> e : engine.endpoints()) {
      if (e.client().dimensions() > 0) {
        return e.client().dimensions();
      }
    }
    return -1;
  }

  @Override
  public String model() {
    return first.model();
  }

  @Override
  public String provider() {
    return first.provider();
  }

  /** A snapshot of each endpoint's circuit state and concurrency. */
  public List<EndpointStatus> endpointStatus() {
    List<EndpointStatus> out = new ArrayList<>();
    for (ResilienceEngine.Endpoint<Embedder> e : engine.endpoints()) {
      out.add(
          new EndpointStatus(
              e.id(), e.circuitState(), e.concurrencyLimit(), e.inFlight(), e.queued()));
    }
    return out;
  }

  @Override
  public void close() {
    if (closeEndpoints) {
      engine.endpoints().forEach(e -> e.client().close());
    }
  }

  @Override
  public String toString() {
    return "ResilientEmbedder[" + first + (engine.endpoints().size() > 1 ? ", ..." : "") + "]";
  }

  /** Builds a {@link ResilientEmbedder}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    private final List<Embedder> endpoints = new ArrayList<>();
    private ResilienceConfig config = ResilienceConfig.defaults();
    private BudgetRegistry budgets = BudgetRegistry.shared();
    private ScheduledExecutorService scheduler = Schedulers.shared();
    private boolean closeEndpoints = true;

    private Builder() {}

    /** Adds an endpoint (a base URL serving the model); at least one is needed. */
    public Builder endpoint(Embedder endpoint) {
      ConfigurationException.check(endpoint != null, "endpoint", "must not be null");
      endpoints.add(endpoint);
      return this;
    }

    /**
     * Retry, budget, concurrency and circuit-breaker settings; default {@link
     * ResilienceConfig#defaults()}.
     */
    public Builder config(ResilienceConfig config) {
      ConfigurationException.check(config != null, "config", "must not be null");
      this.config = config;
      return this;
    }

    /** Where budgets are shared; default {@link BudgetRegistry#shared()}. */
    public Builder budgets(BudgetRegistry budgets) {
      ConfigurationException.check(budgets != null, "budgets", "must not be null");
      this.budgets = budgets;
      return this;
    }

    /** Timer for backoff and budget waits; default a shared daemon thread. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      ConfigurationException.check(scheduler != null, "scheduler", "must not be null");
      this.scheduler = scheduler;
      return this;
    }

    /** Whether {@code close()} closes the endpoints (default true). */
    public Builder closeEndpoints(boolean close) {
      this.closeEndpoints = close;
      return this;
    }

    /**
     * Builds the embedder.
     *
     * @throws ConfigurationException when no endpoint was added, or endpoints disagree on model
     */
    public ResilientEmbedder build() {
      ConfigurationException.check(!endpoints.isEmpty(), "endpoints", "at least one is needed");
      for (Embedder e : endpoints) {
        ConfigurationException.check(
            e.model().equals(endpoints.get(0).model()),
            "endpoints",
            "must serve one model, got '" + endpoints.get(0).model() + "' and '" + e.model() + "'");
      }
      return new ResilientEmbedder(this);
    }
  }
}
