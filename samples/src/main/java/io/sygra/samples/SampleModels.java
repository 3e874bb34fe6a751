package io.sygra.samples;

import io.sygra.llm.HttpOptions;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ModelMetrics;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.ResponseCache;
import io.sygra.llm.SimulatedModelClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Chooses the model a sample runs against: a real OpenAI-compatible (or other provider's) endpoint
 * when one is configured by flags or environment, otherwise the offline simulated model. Real
 * endpoints get a persistent response cache inside the run directory, so resuming or re-running a
 * sample never pays twice for the same call. The client's limits follow {@link
 * SampleContext#concurrency()}: each endpoint may take that many calls at once (unless {@code
 * SYGRA_MAX_CONCURRENCY} says otherwise) and keeps that many connections open.
 */
public final class SampleModels {
  private SampleModels() {}

  /** Seed of the simulated model used by every sample, so offline outputs are reproducible. */
  public static final long SEED = 42;

  /**
   * The model for {@code ctx}. {@code simulated} customizes the offline model (recipe-specific
   * responders); it is ignored for real endpoints.
   */
  public static ModelClient create(
      SampleContext ctx, UnaryOperator<SimulatedModelClient.Builder> simulated) {
    if (!ctx.realEndpoint()) {
      return simulated.apply(SimulatedModelClient.builder().seed(SEED)).build();
    }
    Map<String, String> env = new HashMap<>(ctx.env());
    ctx.baseUrl().ifPresent(u -> env.put("SYGRA_BASE_URL", u));
    ctx.model().ifPresent(m -> env.put("SYGRA_MODEL", m));
    ResilienceConfig resilience = ModelClients.resilienceFromEnv(env);
    String explicit = env.get("SYGRA_MAX_CONCURRENCY");
    if ((explicit == null || explicit.isBlank())
        && ctx.concurrency() > resilience.maxConcurrency()) {
      // --concurrency C asks for C records in flight: let each endpoint take as many calls
      // (AIMD still backs off on 429s) instead of capping the run at the default limit.
      resilience =
          resilience
              .newBuilder()
              .maxConcurrency(ctx.concurrency())
              .initialConcurrency(ctx.concurrency())
              .build();
    }
    // OkHttp's dispatcher and pool must not be the tighter limit: as many exchanges as the
    // resilience layer allows, and as many idle connections, so none is closed and reopened.
    int exchanges = Math.max(resilience.maxConcurrency(), ctx.concurrency());
    HttpOptions defaults = HttpOptions.defaults();
    HttpOptions http =
        defaults
            .newBuilder()
            .maxConcurrentRequests(Math.max(defaults.maxConcurrentRequests(), exchanges))
            .maxIdleConnections(Math.max(defaults.maxIdleConnections(), exchanges))
            .build();
    return ModelClients.builder()
        .endpoints(ModelClients.endpointsFromEnv(env, http))
        .resilience(resilience)
        .cache(ResponseCache.persistent(ctx.outDir().resolve("cache.mv.db")))
        .metrics(ModelMetrics.create())
        .build();
  }

  /** The model for {@code ctx}, with the default simulated model offline. */
  public static ModelClient create(SampleContext ctx) {
    return create(ctx, b -> b);
  }
}
