package io.sygra.core.run;

import io.sygra.core.ConfigurationException;
import io.sygra.core.State;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Turns a record's final state into the output record. The default, {@link #identity()}, writes
 * every state value. Build others with {@link #builder()}:
 *
 * <pre>{@code
 * OutputMapper.builder()
 *     .pick("messages")
 *     .rename("score", "quality_score")
 *     .constant("source", "quickstart")
 *     .computed("length", s -> s.getString("answer").length())
 *     .build();
 * }</pre>
 *
 * <p>The pipeline always adds the record id under the configured id field ({@code id} by default)
 * as the first field, which is what makes resumed runs exactly-once.
 */
@FunctionalInterface
public interface OutputMapper {

  /** The output record for {@code state}; values must be JSON-compatible. */
  Map<String, Object> map(State state);

  /** Every state value, in state order. */
  static OutputMapper identity() {
    return State::values;
  }

  /** A builder of pick/rename/constant/computed mappings, applied in the order added. */
  static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link OutputMapper}. */
  final class Builder {
    private final List<Step> steps = new ArrayList<>();

    private interface Step {
      void apply(State state, Map<String, Object> out);
    }

    private Builder() {}

    /** Copies these state keys as they are (absent keys are skipped). */
    public Builder pick(String... keys) {
      for (String k : keys) {
        Objects.requireNonNull(k, "key");
        steps.add(
            (s, out) -> {
              if (s.has(k)) {
                out.put(k, s.get(k));
              }
            });
      }
      return this;
    }

    /** Copies state key {@code from} to output field {@code to} (skipped when absent). */
    public Builder rename(String from, String to) {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      steps.add(
          (s, out) -> {
            if (s.has(from)) {
              out.put(to, s.get(from));
            }
          });
      return this;
    }

    /** Sets output field {@code key} to a constant. */
    public Builder constant(String key, Object value) {
      Objects.requireNonNull(key, "key");
      steps.add((s, out) -> out.put(key, value));
      return this;
    }

    /** Sets output field {@code key} to a value computed from the state. */
    public Builder computed(String key, Function<State, ?> fn) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(fn, "fn");
      steps.add((s, out) -> out.put(key, fn.apply(s)));
      return this;
    }

    /** Builds the mapper. */
    public OutputMapper build() {
      ConfigurationException.check(!steps.isEmpty(), "outputMapper", "add at least one field");
      List<Step> copy = List.copyOf(steps);
      return state -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Step st : copy) {
          st.apply(state, out);
        }
        return out;
      };
    }
  }
}
