package io.sygra.llm.internal;

import io.sygra.core.ConfigurationException;
import io.sygra.llm.ChatMessage;
import io.sygra.llm.ChatRequest;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-node model parameters under their wire names ({@code temperature}, {@code top_p}, {@code
 * max_tokens}, {@code seed}, {@code stop}, {@code presence_penalty}, {@code frequency_penalty},
 * {@code logprobs}, {@code top_logprobs}, {@code tool_choice}, {@code timeout}); camelCase aliases
 * are accepted. Any other name is sent as an extra body field, as is. Values are checked when set,
 * by applying them to a request builder, so a bad value fails at configuration time.
 */
public final class RequestParameters {
  private static final Map<String, String> ALIASES =
      Map.ofEntries(
          Map.entry("topP", "top_p"),
          Map.entry("maxTokens", "max_tokens"),
          Map.entry("presencePenalty", "presence_penalty"),
          Map.entry("frequencyPenalty", "frequency_penalty"),
          Map.entry("topLogprobs", "top_logprobs"),
          Map.entry("toolChoice", "tool_choice"));

  private final Map<String, Object> values;

  private RequestParameters(Map<String, Object> values) {
    this.values = values;
  }

  /** No parameters. */
  public static RequestParameters empty() {
    return new RequestParameters(Map.of());
  }

  /** The parameters by wire name, unmodifiable, in the order set. */
  public Map<String, Object> values() {
    return values;
  }

  /**
   * A copy with {@code name} set to {@code value} ({@code null} removes it).
   *
   * @throws ConfigurationException naming {@code parameters.<name>} and the value when invalid
   */
  public RequestParameters with(String name, Object value) {
    ConfigurationException.check(
        name != null && !name.isBlank(), "parameters", "names must be non-blank");
    String wire = ALIASES.getOrDefault(name, name);
    Map<String, Object> copy = new LinkedHashMap<>(values);
    if (value == null) {
      copy.remove(wire);
    } else {
      Object normalized = normalize(wire, value);
      copy.put(wire, normalized);
      try {
        apply(wire, normalized, probe());
      } catch (IllegalArgumentException | ClassCastException e) {
        throw new ConfigurationException("parameters." + wire, e.getMessage());
      }
    }
    return new RequestParameters(Collections.unmodifiableMap(copy));
  }

  /** Applies every parameter to {@code b}. */
  public ChatRequest.Builder applyTo(ChatRequest.Builder b) {
    values.forEach((k, v) -> apply(k, v, b));
    return b;
  }

  private static ChatRequest.Builder probe() {
    return ChatRequest.builder().addMessage(ChatMessage.user("probe"));
  }

  private static Object normalize(String wire, Object value) {
    if (value instanceof Duration d) {
      return d;
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof List<?> l) {
      return List.copyOf(new ArrayList<>(l));
    }
    if (value instanceof Map<?, ?> m) {
      return NodeJson.freeze(m);
    }
    return value;
  }

  private static void apply(String k, Object v, ChatRequest.Builder b) {
    switch (k) {
      case "temperature" -> b.temperature(number(k, v));
      case "top_p" -> b.topP(number(k, v));
      case "max_tokens" -> b.maxTokens(Math.toIntExact(integer(k, v)));
      case "seed" -> b.seed(integer(k, v));
      case "presence_penalty" -> b.presencePenalty(number(k, v));
      case "frequency_penalty" -> b.frequencyPenalty(number(k, v));
      case "top_logprobs" -> b.topLogprobs(Math.toIntExact(integer(k, v)));
      case "logprobs" -> {
        if (!(v instanceof Boolean bool)) {
          throw new IllegalArgumentException("logprobs must be a boolean, was " + v);
        }
        b.logprobs(bool);
      }
      case "tool_choice" -> b.toolChoice(Objects.toString(v));
      case "timeout" -> {
        if (!(v instanceof Duration d)) {
          throw new IllegalArgumentException("timeout must be a Duration, was " + v);
        }
        b.timeout(d);
      }
      case "stop" -> {
        if (v instanceof String s) {
          b.stop(List.of(s));
        } else if (v instanceof List<?> l && l.stream().allMatch(String.class::isInstance)) {
          List<String> stops = new ArrayList<>();
          l.forEach(x -> stops.add((String) x));
          b.stop(stops);
        } else {
          throw new IllegalArgumentException(
              "stop must be a string or a list of strings, was " + v);
        }
      }
      default -> b.extraBody(k, v);
    }
  }

  private static Double number(String k, Object v) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException(k + " must be a number, was " + v);
  }

  private static long integer(String k, Object v) {
    if (v instanceof Number n) {
      try {
        return new BigDecimal(n.toString()).longValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(k + " must be a whole number, was " + v);
      }
    }
    throw new IllegalArgumentException(k + " must be a whole number, was " + v);
  }

  /**
   * Canonical text for fingerprints: sorted names, JSON values. The timeout is left out: it changes
   * no output, so changing it must not block resuming a run.
   */
  public String fingerprint() {
    Map<String, Object> printable = new LinkedHashMap<>(values);
    printable.remove("timeout");
    return NodeJson.canonical(printable);
  }
}
