package io.sygra.spark;

import io.sygra.llm.ModelClient;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.ResponseCache;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where a {@link GraphFactory} builds its graph: one attempt of one partition on an executor (or
 * the driver's dry build, {@link #onDriver()}). Gives the factory the executor's environment, the
 * partition's persistent response cache, the executor's share of the global rate limits, and a
 * place to register resources that must be closed when the partition ends.
 *
 * <p>Not serializable and not thread-safe: use it inside {@link GraphFactory#create} only (nodes
 * may keep the objects it returned).
 */
public interface ExecutorContext {

  /** The partition index, in [0, {@link #partitions()}); -1 for the driver's dry build. */
  int partitionId();

  /** The number of partitions of the run. */
  int partitions();

  /** Spark's attempt number of this task: 0 for the first attempt, 1 for the first retry, ... */
  int attemptNumber();

  /** True for the dry build the driver makes to validate the graph and collect notices. */
  boolean onDriver();

  /** The run id: partitions of the same run id share their checkpoint directories. */
  String runId();

  /**
   * This partition's checkpoint directory: a SyGra run directory ({@code output.jsonl}, {@code
   * dropped.jsonl}, {@code failed.jsonl}, {@code report.json}, {@code manifest.json}) plus the
   * response cache file. Absent for the driver's dry build.
   */
  Optional<Path> partitionDirectory();

  /**
   * The environment of the process building the graph: the executor's environment variables,
   * overlaid on the {@code spark.executorEnv.*} entries of the Spark configuration (so that local
   * mode, where executors are threads of the driver, sees what a cluster executor would). Read API
   * keys from here; never capture them in the factory.
   */
  Map<String, String> env();

  /** The value of environment variable {@code name} as {@link #env()} sees it. */
  default Optional<String> env(String name) {
    return Optional.ofNullable(env().get(name)).filter(v -> !v.isBlank());
  }

  /** This executor's share of the global requests/tokens per minute budget. */
  RateLimitShare rateLimits();

  /**
   * Resilience settings for clients built on this executor: {@code
   * ModelClients.resilienceFromEnv(env())} with the requests/tokens per minute replaced by this
   * executor's share when a global budget is configured ({@link RateLimitShare#limited()}). Clients
   * built with it and the default (JVM-wide) budget registry draw on one budget per executor,
   * shared by every task the executor runs at once.
   */
  ResilienceConfig resilience();

  /**
   * The partition's persistent response cache ({@code cache.mv.db} in the partition directory),
   * opened on first use and closed when the partition ends; in memory for the driver's dry build.
   * Wrap clients in it ({@code CachingModelClient.wrap(client, ctx.responseCache())}) so a retried
   * attempt does not pay again for calls that records still in flight had already made. Sampled
   * requests are only cached with {@link SparkRunOptions.Builder#cacheSampledRequests(boolean)}.
   */
  ResponseCache responseCache();

  /**
   * A ready client for the endpoint the environment configures ({@code OPENAI_API_KEY}, {@code
   * SYGRA_BASE_URL}, {@code SYGRA_MODEL}, ...; see {@code ModelClients.fromEnv}), composed with
   * {@link #resilience()} and {@link #responseCache()}, and closed when the partition ends. Empty
   * when the environment configures no endpoint.
   */
  Optional<ModelClient> modelClientFromEnv();

  /**
   * Registers {@code resource} to be closed when the partition attempt ends (in reverse order of
   * registration), and returns it.
   */
  <T extends AutoCloseable> T closeAfterPartition(T resource);
}
