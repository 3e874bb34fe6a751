package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.client.CallTrace;
import io.sygra.llm.internal.client.Histogram;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Collects per-model and per-node figures of model calls and adds them to {@code report.json} under
 * {@code models}: requests, successes, failures by exception class, cache hits, attempts and
 * retries (with the errors that were retried), tokens (prompt, completion, cached, reasoning,
 * total), model latency and end-to-end call latency (p50/p95/p99, mean, max in ms), and cost in USD
 * from a {@link PriceTable}.
 *
 * <p>Calls are recorded by a client from {@link #wrap(ModelClient)} (outermost, around any cache
 * and resilience decorators, so cache hits and retries are seen). Calls are attributed to a node
 * when made through {@link ModelClient#forNode(String)} (or with a {@link CallContext} tag). Share
 * one instance for a run; if several instances report the same model, their counts and costs are
 * summed and latency percentiles show the largest. Never contains API keys. Thread-safe; recording
 * is lock-free.
 *
 * <pre>{@code
 * ModelMetrics metrics = ModelMetrics.create();
 * ModelClient client = metrics.wrap(resilient);
 * client.forNode("judge").chat(request);
 * pipelineBuilder.contributor(metrics);   // adds "models" to report.json
 * }</pre>
 */
public final class ModelMetrics implements ReportContributor {
  private final PriceTable prices;
  private final ConcurrentHashMap<String, Stats> models = new ConcurrentHashMap<>();

  private ModelMetrics(PriceTable prices) {
    this.prices = prices;
  }

  /** A collector pricing calls with {@link PriceTable#defaults()}. */
  public static ModelMetrics create() {
    return new ModelMetrics(PriceTable.defaults());
  }

  /** A collector pricing calls with {@code prices}. */
  public static ModelMetrics create(PriceTable prices) {
    ConfigurationException.check(prices != null, "prices", "must not be null");
    return new ModelMetrics(prices);
  }

  /** The prices calls are costed with. */
  public PriceTable prices() {
    return prices;
  }

  /**
   * A client that records every call of {@code client}. Calls are filed under the request's model,
   * else the client's default model, else its provider name.
   */
  public ModelClient wrap(ModelClient client) {
    ConfigurationException.check(client != null, "client", "must not be null");
    String label = CachingModelClient.defaultModelOf(unwrapCache(client));
    return new MeteredModelClient(client, this, label == null ? client.provider() : label);
  }

  /**
   * A client that records every call of {@code client}, filing requests without a model under
   * {@code label}.
   */
  public ModelClient wrap(ModelClient client, String label) {
    ConfigurationException.check(client != null, "client", "must not be null");
    ConfigurationException.check(
        label != null && !label.isBlank(), "label", "must not be blank, was '" + label + "'");
    return new MeteredModelClient(client, this, label);
  }

  private static ModelClient unwrapCache(ModelClient c) {
    return c instanceof CachingModelClient cc ? cc.delegate() : c;
  }

  /** Records one finished call. Used by the metering client. */
  void record(
      String model,
      String provider,
      CallTrace trace,
      ChatResponse response,
      Throwable error,
      long callNanos) {
    Stats m = models.computeIfAbsent(model, k -> new Stats(provider));
    Stats n =
        trace.node() == null ? null : m.nodes.computeIfAbsent(trace.node(), k -> new Stats(null));
    Double cost = null;
    if (response != null && !trace.wasCacheHit()) {
      cost =
          prices
              .lookup(response.model())
              .or(() -> prices.lookup(model))
              .map(p -> p.cost(response.usage()))
              .orElse(null);
    }
    for (Stats s : n == null ? List.of(m) : List.of(m, n)) {
      s.record(trace, response, error, callNanos, cost);
    }
  }

  /** The figures as JSON-compatible maps: model name to its figures (see the class comment). */
  public Map<String, Object> snapshot() {
    Map<String, Object> out = new TreeMap<>();
    models.forEach((model, s) -> out.put(model, s.toMap()));
    return out;
  }

  /** Adds (or merges into) the {@code models} section of the report. */
  @Override
  @SuppressWarnings("unchecked")
  public void contribute(Map<String, Object> sections) {
    Map<String, Object> mine = snapshot();
    Object existing = sections.get("models");
    if (existing instanceof Map<?, ?> prior) {
      sections.put("models", merge((Map<String, Object>) prior, mine, false));
    } else {
      sections.put("models", mine);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(
      Map<String, Object> a, Map<String, Object> b, boolean maxNumbers) {
    Map<String, Object> out = new TreeMap<>(a);
    b.forEach(
        (k, v) -> {
          Object old = out.get(k);
          if (old == null) {
            out.put(k, v);
          } else if (old instanceof Map<?, ?> om && v instanceof Map<?, ?> vm) {
            boolean latency = k.endsWith("LatencyMs") || k.equals("latencyMs");
            out.put(
                k,
                merge((Map<String, Object>) om, (Map<String, Object>) vm, maxNumbers || latency));
          } else if (old instanceof Number on && v instanceof Number vn) {
            if (maxNumbers) {
              out.put(k, Math.max(on.doubleValue(), vn.doubleValue()));
            } else if (old instanceof Long || old instanceof Integer) {
              out.put(k, on.longValue() + vn.longValue());
            } else {
              out.put(k, on.doubleValue() + vn.doubleValue());
            }
          }
        });
    return out;
  }

  /** Forgets everything recorded so far. */
  public void reset() {
    models.clear();
  }

  @Override
  public String toString() {
    return "ModelMetrics" + models.keySet();
  }

  private static final class Stats {
    final String provider;
    final LongAdder requests = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder cacheHits = new LongAdder();
    final LongAdder attempts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final ConcurrentHashMap<String, LongAdder> failures = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, LongAdder> retried = new ConcurrentHashMap<>();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final LongAdder cachedTokens = new LongAdder();
    final LongAdder reasoningTokens = new LongAdder();
    final LongAdder totalTokens = new LongAdder();
    final Histogram latency = new Histogram();
    final Histogram callLatency = new Histogram();
    final DoubleAdder cost = new DoubleAdder();
    final LongAdder unpriced = new LongAdder();
    final ConcurrentHashMap<String, Stats> nodes = new ConcurrentHashMap<>();

    Stats(String provider) {
      this.provider = provider;
    }

    void record(
        CallTrace trace, ChatResponse response, Throwable error, long callNanos, Double price) {
      requests.increment();
      boolean hit = trace.wasCacheHit();
      int tries = hit ? 0 : Math.max(1, trace.attempts());
      attempts.add(tries);
      retries.add(Math.max(0, tries - 1));
      List<String> attemptFailures = trace.attemptFailures();
      int retriedCount = error == null ? attemptFailures.size() : attemptFailures.size() - 1;
      for (int i = 0; i < retriedCount; i++) {
        retried.computeIfAbsent(attemptFailures.get(i), k -> new LongAdder()).increment();
      }
      if (error != null) {
        failed.increment();
        failures
            .computeIfAbsent(error.getClass().getSimpleName(), k -> new LongAdder())
            .increment();
        return;
      }
      succeeded.increment();
      if (hit) {
        cacheHits.increment();
        return;
      }
      Usage u = response.usage();
      promptTokens.add(u.promptTokens());
      completionTokens.add(u.completionTokens());
      totalTokens.add(u.totalTokens());
      if (u.cachedTokens() != null) {
        cachedTokens.add(u.cachedTokens());
      }
      if (u.reasoningTokens() != null) {
        reasoningTokens.add(u.reasoningTokens());
      }
      latency.recordNanos(response.latency().toNanos());
      callLatency.recordNanos(callNanos);
      if (price == null) {
        unpriced.increment();
      } else {
        cost.add(price);
      }
    }

    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      if (provider != null) {
        m.put("provider", provider);
      }
      m.put("requests", requests.sum());
      m.put("succeeded", succeeded.sum());
      m.put("failed", failed.sum());
      m.put("cacheHits", cacheHits.sum());
      m.put("attempts", attempts.sum());
      m.put("retries", retries.sum());
      m.put("failures", counts(failures));
      m.put("retriedErrors", counts(retried));
      Map<String, Object> tokens = new LinkedHashMap<>();
      tokens.put("prompt", promptTokens.sum());
      tokens.put("completion", completionTokens.sum());
      tokens.put("cached", cachedTokens.sum());
      tokens.put("reasoning", reasoningTokens.sum());
      tokens.put("total", totalTokens.sum());
      m.put("tokens", tokens);
      m.put("latencyMs", latencyMap(latency));
      m.put("callLatencyMs", latencyMap(callLatency));
      m.put("costUsd", Math.round(cost.sum() * 1e6) / 1e6);
      m.put("unpricedRequests", unpriced.sum());
      if (!nodes.isEmpty()) {
        Map<String, Object> byNode = new TreeMap<>();
        nodes.forEach((name, s) -> byNode.put(name, s.toMap()));
        m.put("nodes", byNode);
      }
      return m;
    }

    private static Map<String, Object> counts(Map<String, LongAdder> c) {
      Map<String, Object> out = new TreeMap<>();
      c.forEach((k, v) -> out.put(k, v.sum()));
      return out;
    }

    private static Map<String, Object> latencyMap(Histogram h) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("count", h.count());
      m.put("p50", round(h.percentileMillis(0.50)));
      m.put("p95", round(h.percentileMillis(0.95)));
      m.put("p99", round(h.percentileMillis(0.99)));
      m.put("mean", round(h.meanMillis()));
      m.put("max", round(h.maxMillis()));
      return m;
    }

    private static double round(double ms) {
      return Math.round(ms * 1000) / 1000.0;
    }
  }
}
