package io.sygra.samples;

import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ModelMetrics;
import io.sygra.llm.ResponseCache;
import io.sygra.llm.SimulatedModelClient;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Chooses the model a sample runs against: a real OpenAI-compatible (or other provider's) endpoint
 * when one is configured by flags or environment, otherwise the offline simulated model. Real
 * endpoints get a persistent response cache inside the run directory, so resuming or re-running a
 * sample never pays twice for the same call.
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
    return ModelClients.builder()
        .endpoints(ModelClients.endpointsFromEnv(env))
        .resilience(ModelClients.resilienceFromEnv(env))
        .cache(ResponseCache.persistent(ctx.outDir().resolve("cache.mv.db")))
        .metrics(ModelMetrics.create())
        .build();
  }

  /** The model for {@code ctx}, with the default simulated model offline. */
  public static ModelClient create(SampleContext ctx) {
    return create(ctx, b -> b);
  }
}
