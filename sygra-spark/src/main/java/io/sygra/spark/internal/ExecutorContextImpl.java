package io.sygra.spark.internal;

import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.ResilienceConfig;
import io.sygra.llm.ResponseCache;
import io.sygra.spark.ExecutorContext;
import io.sygra.spark.RateLimitShare;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/** The {@link ExecutorContext} of one partition attempt, or of the driver's dry build. */
public final class ExecutorContextImpl implements ExecutorContext, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorContextImpl.class);
  static final String CACHE_FILE = "cache.mv.db";
  private static final String EXECUTOR_ENV = "spark.executorEnv.";

  private final Plan plan;
  private final int partitionId;
  private final int partitions;
  private final int attempt;
  private final Path dir;
  private final Map<String, String> env;
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private ResponseCache cache;
  private ResilienceConfig resilience;
  private boolean closed;

  /**
   * @param dir the partition directory; null for the driver's dry build
   * @param env the environment the factory sees
   */
  public ExecutorContextImpl(
      Plan plan, int partitionId, int partitions, int attempt, Path dir, Map<String, String> env) {
    this.plan = Objects.requireNonNull(plan, "plan");
    this.partitionId = partitionId;
    this.partitions = partitions;
    this.attempt = attempt;
    this.dir = dir;
    this.env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  /**
   * This process's environment: the {@code spark.executorEnv.*} entries of the Spark configuration
   * overlaid by the real environment variables (a cluster executor has both, already merged by
   * Spark; a local-mode executor only has them in the configuration).
   */
  public static Map<String, String> processEnvironment() {
    Map<String, String> out = new LinkedHashMap<>();
    SparkEnv sparkEnv = SparkEnv.get();
    if (sparkEnv != null) {
      for (Tuple2<String, String> e : sparkEnv.conf().getAllWithPrefix(EXECUTOR_ENV)) {
        out.put(e._1(), e._2());
      }
    }
    out.putAll(System.getenv());
    return out;
  }

  @Override
  public int partitionId() {
    return partitionId;
  }

  @Override
  public int partitions() {
    return partitions;
  }

  @Override
  public int attemptNumber() {
    return attempt;
  }

  @Override
  public boolean onDriver() {
    return dir == null;
  }

  @Override
  public String runId() {
    return plan.runId();
  }

  @Override
  public Optional<Path> partitionDirectory() {
    return Optional.ofNullable(dir);
  }

  @Override
  public Map<String, String> env() {
    return env;
  }

  @Override
  public RateLimitShare rateLimits() {
    return plan.rateLimits();
  }

  @Override
  public synchronized ResilienceConfig resilience() {
    if (resilience == null) {
      ResilienceConfig base = ModelClients.resilienceFromEnv(env);
      RateLimitShare share = plan.rateLimits();
      if (share.limited()) {
        ResilienceConfig.Builder b = base.newBuilder();
        // Both set, so a global budget given for one dimension also lifts a per-executor
        // environment override of the other (the share is the executor's whole allowance).
        b.requestsPerMinute(share.requestsPerMinute());
        b.tokensPerMinute(share.tokensPerMinute());
        base = b.build();
      }
      resilience = base;
    }
    return resilience;
  }

  @Override
  public synchronized ResponseCache responseCache() {
    ensureOpen();
    if (cache == null) {
      ResponseCache.Builder b =
          ResponseCache.builder().cacheSampled(plan.options().cacheSampledRequests());
      if (dir != null) {
        b.persistTo(dir.resolve(CACHE_FILE));
      }
      cache = b.build();
    }
    return cache;
  }

  @Override
  public Optional<ModelClient> modelClientFromEnv() {
    List<ModelClient> endpoints = ModelClients.endpointsFromEnv(env);
    if (endpoints.isEmpty()) {
      return Optional.empty();
    }
    ModelClient client =
        ModelClients.builder()
            .endpoints(endpoints)
            .resilience(resilience())
            .cache(responseCache())
            .build();
    return Optional.of(closeAfterPartition(client));
  }

  @Override
  public synchronized <T extends AutoCloseable> T closeAfterPartition(T resource) {
    Objects.requireNonNull(resource, "resource");
    ensureOpen();
    closeables.push(resource);
    return resource;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the partition has ended; its context is closed");
    }
  }

  /** Closes the registered resources (latest first), then the response cache. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!closeables.isEmpty()) {
      AutoCloseable c = closeables.pop();
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("closing {} after the partition: {}", c, e.toString());
      }
    }
    if (cache != null) {
      cache.close();
    }
  }
}
