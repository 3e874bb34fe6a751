package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.internal.client.ResilienceEngine;
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
    this.config = b.settings.config;
    this.first = b.endpoints.get(0);
    this.closeEndpoints = b.settings.closeEndpoints;
    int batch = Integer.MAX_VALUE;
    for (Embedder e : b.endpoints) {
      batch = Math.min(batch, e.maxBatchSize());
    }
    this.batchSize = batch;
    this.engine = b.settings.engine(b.endpoints);
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletableFuture<float[][]> embed(List<String> texts) {
    return EmbedBatches.embed(texts, batchSize, this::embedBatch);
  }

  private CompletableFuture<float[][]> embedBatch(List<String> texts) {
    // A copy, as retries may send the batch after the caller has changed its list.
    List<String> batch = List.copyOf(texts);
    long estimate = 0;
    if (config.tokensPerWindow() > 0) {
      for (String t : batch) {
        estimate += TokenEstimator.count(t, model());
      }
    }
    return engine.call(model(), estimate, null, e -> e.embed(batch), r -> 0L);
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
    return ResilientSettings.status(engine);
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
    private final ResilientSettings settings = new ResilientSettings();

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

    /** Whether {@code close()} closes the endpoints (default true). */
    public Builder closeEndpoints(boolean close) {
      settings.closeEndpoints = close;
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
