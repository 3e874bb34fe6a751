package io.sygra.llm.internal;

import io.sygra.core.run.LatencyHistogram;
import io.sygra.llm.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Per-node model-call counters for the run report's {@code nodes} section: requests, failures,
 * tokens, structured-output re-asks, tool calls and call latency percentiles. Keyed by the node's
 * full name as the runner reports it, so a node instance reused under two names is counted twice.
 * Lock-free; safe to update from I/O threads.
 */
public final class NodeMetrics {
  /** The report section these figures go to. */
  public static final String SECTION = "nodes";

  private final String kind;
  private final Map<String, Stats> byNode = new ConcurrentHashMap<>();

  public NodeMetrics(String kind) {
    this.kind = kind;
  }

  private static final class Stats {
    final LongAdder requests = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder promptTokens = new LongAdder();
    final LongAdder completionTokens = new LongAdder();
    final LongAdder reasks = new LongAdder();
    final LongAdder structuredFailures = new LongAdder();
    final LongAdder toolCalls = new LongAdder();
    final LatencyHistogram latency = new LatencyHistogram();
  }

  private Stats stats(String node) {
    return byNode.computeIfAbsent(node, n -> new Stats());
  }

  /** One model call finished (successfully when {@code usage} is non-null). */
  public void call(String node, Usage usage, long nanos) {
    Stats s = stats(node);
    s.requests.increment();
    s.latency.recordNanos(nanos);
    if (usage == null) {
      s.failures.increment();
    } else {
      s.promptTokens.add(usage.promptTokens());
      s.completionTokens.add(usage.completionTokens());
    }
  }

  /** A structured reply was unusable and the model was asked again. */
  public void reask(String node) {
    stats(node).reasks.increment();
  }

  /** Every allowed structured attempt failed. */
  public void structuredFailure(String node) {
    stats(node).structuredFailures.increment();
  }

  /** Tool calls executed by an agent node. */
  public void toolCalls(String node, int n) {
    stats(node).toolCalls.add(n);
  }

  /** The figures per node name, JSON-compatible. */
  public Map<String, Object> snapshot() {
    Map<String, Object> out = new TreeMap<>();
    byNode.forEach(
        (node, s) -> {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("kind", kind);
          m.put("requests", s.requests.sum());
          m.put("failures", s.failures.sum());
          m.put("promptTokens", s.promptTokens.sum());
          m.put("completionTokens", s.completionTokens.sum());
          m.put("reasks", s.reasks.sum());
          m.put("structuredFailures", s.structuredFailures.sum());
          if ("agent".equals(kind)) {
            m.put("toolCalls", s.toolCalls.sum());
          }
          Map<String, Object> lat = new LinkedHashMap<>();
          lat.put("p50", round(s.latency.percentileMillis(0.50)));
          lat.put("p95", round(s.latency.percentileMillis(0.95)));
          lat.put("p99", round(s.latency.percentileMillis(0.99)));
          m.put("latencyMs", lat);
          out.put(node, m);
        });
    return out;
  }

  /** Merges this node's figures into {@code sections.nodes}, keeping other nodes' entries. */
  public void contributeTo(Map<String, Object> sections) {
    Map<String, Object> merged = new TreeMap<>();
    if (sections.get(SECTION) instanceof Map<?, ?> existing) {
      existing.forEach((k, v) -> merged.put(String.valueOf(k), v));
    }
    merged.putAll(snapshot());
    sections.put(SECTION, merged);
  }

  private static double round(double ms) {
    return Math.round(ms * 100) / 100.0;
  }
}
