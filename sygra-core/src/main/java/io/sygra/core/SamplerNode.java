package io.sygra.core;

import io.sygra.core.internal.JsonValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sets attributes on each record by sampling: weighted choices, or values taken in order from a
 * column (wrapping around). Create with {@link Nodes#sampler()}.
 *
 * <p>With a {@linkplain Builder#seed(long) seed}, a record's draws depend only on the seed, the
 * record id, the attribute and the step, so re-runs and resumed runs sample exactly the same values
 * whatever the concurrency. Sequential attributes use the record's source position.
 */
public final class SamplerNode implements Node {
  private final Map<String, Attribute> attributes;
  private final Long seed;
  private final String fingerprint;

  private sealed interface Attribute permits Weighted, Sequential {}

  private record Weighted(List<Object> values, double[] cumulative) implements Attribute {}

  private record Sequential(List<Object> values) implements Attribute {}

  private SamplerNode(Builder b) {
    this.attributes = new LinkedHashMap<>(b.attributes);
    this.seed = b.seed;
    StringBuilder fp = new StringBuilder("sampler seed=").append(seed);
    attributes.forEach(
        (k, a) -> {
          fp.append(' ').append(k).append('=');
          if (a instanceof Weighted w) {
            fp.append(w.values()).append(java.util.Arrays.toString(w.cumulative()));
          } else {
            fp.append("seq").append(((Sequential) a).values().size());
          }
        });
    this.fingerprint = fp.toString();
  }

  static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<NodeResult> run(State state, NodeContext context) {
    Map<String, Object> updates = new LinkedHashMap<>();
    for (Map.Entry<String, Attribute> e : attributes.entrySet()) {
      Attribute a = e.getValue();
      if (a instanceof Sequential s) {
        updates.put(e.getKey(), s.values().get((int) (context.sequence() % s.values().size())));
      } else {
        Weighted w = (Weighted) a;
        double u = uniform(context, e.getKey());
        double total = w.cumulative()[w.cumulative().length - 1];
        int i = 0;
        while (i < w.cumulative().length - 1 && u * total >= w.cumulative()[i]) {
          i++;
        }
        updates.put(e.getKey(), w.values().get(i));
      }
    }
    return CompletableFuture.completedFuture(NodeResult.of(state.withAll(updates)));
  }

  private double uniform(NodeContext context, String attribute) {
    if (seed == null) {
      return ThreadLocalRandom.current().nextDouble();
    }
    long h = seed;
    for (byte b : (context.recordId() + '\u0000' + attribute).getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ b) * 0x100000001b3L;
    }
    h ^= context.step() * 0x9E3779B97F4A7C15L;
    return new SplittableRandom(h).nextDouble();
  }

  @Override
  public String kind() {
    return "sampler";
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public Optional<Set<String>> reads() {
    return Optional.of(Set.of());
  }

  @Override
  public Optional<Set<String>> writes() {
    return Optional.of(new LinkedHashSet<>(attributes.keySet()));
  }

  /** Configures a {@link SamplerNode}; setters validate at once. */
  public static final class Builder {
    private final Map<String, Attribute> attributes = new LinkedHashMap<>();
    private Long seed;

    private Builder() {}

    /** Samples {@code key} uniformly from {@code values}. */
    public Builder uniform(String key, List<?> values) {
      double[] w = new double[values.size()];
      java.util.Arrays.fill(w, 1.0);
      return weighted(key, values, w);
    }

    /**
     * Samples {@code key} from {@code values} with the given relative weights (non-negative, not
     * all zero, one per value).
     */
    public Builder weighted(String key, List<?> values, double... weights) {
      checkKey(key);
      ConfigurationException.check(
          values != null && !values.isEmpty(), "sampler." + key, "needs at least one value");
      ConfigurationException.check(
          weights.length == values.size(),
          "sampler." + key,
          weights.length + " weights for " + values.size() + " values");
      double[] cumulative = new double[weights.length];
      double sum = 0;
      for (int i = 0; i < weights.length; i++) {
        double w = weights[i];
        ConfigurationException.check(
            w >= 0 && Double.isFinite(w),
            "sampler." + key,
            "weight " + i + " must be finite and >= 0, was " + w);
        sum += w;
        cumulative[i] = sum;
      }
      ConfigurationException.check(sum > 0, "sampler." + key, "weights must not all be zero");
      attributes.put(key, new Weighted(freeze(key, values), cumulative));
      return this;
    }

    /** Samples {@code key} from a map of value to weight (iteration order kept). */
    public Builder weighted(String key, Map<?, ? extends Number> valueWeights) {
      List<Object> values = new ArrayList<>(valueWeights.keySet());
      double[] w = new double[values.size()];
      int i = 0;
      for (Number n : valueWeights.values()) {
        w[i++] = n.doubleValue();
      }
      return weighted(key, values, w);
    }

    /**
     * Sets {@code key} to {@code values[seq % size]}, where {@code seq} is the record's source
     * position: values are read in order and wrap around. Use {@code
     * io.sygra.core.run.Sources.column(...)} to take them from a file column.
     */
    public Builder sequential(String key, List<?> values) {
      checkKey(key);
      ConfigurationException.check(
          values != null && !values.isEmpty(), "sampler." + key, "needs at least one value");
      attributes.put(key, new Sequential(freeze(key, values)));
      return this;
    }

    /** Makes draws deterministic per record (default: unseeded, random). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Builds the node. */
    public SamplerNode build() {
      ConfigurationException.check(!attributes.isEmpty(), "sampler", "add at least one attribute");
      return new SamplerNode(this);
    }

    private void checkKey(String key) {
      ConfigurationException.check(
          key != null && !key.isBlank(), "sampler", "attribute key must be non-blank");
      ConfigurationException.check(
          !attributes.containsKey(key), "sampler." + key, "attribute defined twice");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> freeze(String key, List<?> values) {
      try {
        return (List<Object>) JsonValues.freeze(values, "sampler." + key);
      } catch (IllegalArgumentException e) {
        throw new ConfigurationException("sampler." + key, e.getMessage());
      }
    }
  }
}
