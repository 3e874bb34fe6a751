package io.sygra.llm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable chat request. Build with {@link #builder()}; derive variants with {@link
 * #newBuilder()}. Unset parameters are not sent, so the server's defaults apply.
 *
 * <p>Setters validate at once and name the field and value on error.
 */
public final class ChatRequest {
  private final String model;
  private final List<ChatMessage> messages;
  private final Double temperature;
  private final Double topP;
  private final Integer maxTokens;
  private final List<String> stop;
  private final Long seed;
  private final Double presencePenalty;
  private final Double frequencyPenalty;
  private final Boolean logprobs;
  private final Integer topLogprobs;
  private final List<ToolDefinition> tools;
  private final String toolChoice;
  private final ResponseFormat responseFormat;
  private final Map<String, Object> extraBody;
  private final Duration timeout;
  private final Map<Class<?>, Object> tags;

  private ChatRequest(Builder b) {
    this.model = b.model;
    this.messages = List.copyOf(b.messages);
    this.temperature = b.temperature;
    this.topP = b.topP;
    this.maxTokens = b.maxTokens;
    this.stop = b.stop == null ? List.of() : List.copyOf(b.stop);
    this.seed = b.seed;
    this.presencePenalty = b.presencePenalty;
    this.frequencyPenalty = b.frequencyPenalty;
    this.logprobs = b.logprobs;
    this.topLogprobs = b.topLogprobs;
    this.tools = List.copyOf(b.tools);
    this.toolChoice = b.toolChoice;
    this.responseFormat = b.responseFormat;
    this.extraBody = Collections.unmodifiableMap(new LinkedHashMap<>(b.extraBody));
    this.timeout = b.timeout;
    this.tags = b.tags.isEmpty() ? Map.of() : Map.copyOf(b.tags);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised with this request's values. */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /** Model name; null means the client's default model. */
  public String model() {
    return model;
  }

  public List<ChatMessage> messages() {
    return messages;
  }

  public Double temperature() {
    return temperature;
  }

  public Double topP() {
    return topP;
  }

  public Integer maxTokens() {
    return maxTokens;
  }

  public List<String> stop() {
    return stop;
  }

  public Long seed() {
    return seed;
  }

  public Double presencePenalty() {
    return presencePenalty;
  }

  public Double frequencyPenalty() {
    return frequencyPenalty;
  }

  public Boolean logprobs() {
    return logprobs;
  }

  public Integer topLogprobs() {
    return topLogprobs;
  }

  public List<ToolDefinition> tools() {
    return tools;
  }

  /** {@code auto}, {@code none}, {@code required}, or a function name to force; null = unset. */
  public String toolChoice() {
    return toolChoice;
  }

  /** Requested reply shape; null = unset (text). */
  public ResponseFormat responseFormat() {
    return responseFormat;
  }

  /** Extra top-level body fields sent as they are (provider-specific options). */
  public Map<String, Object> extraBody() {
    return extraBody;
  }

  /** Per-call timeout; null = the client's default. */
  public Duration timeout() {
    return timeout;
  }

  /**
   * The tag attached under {@code type}, or null. Tags are call metadata in the manner of OkHttp's
   * request tags (for example the node a call is made for): they are never sent to the server and
   * take no part in {@link #equals}, {@link #hashCode} or response-cache keys.
   */
  public <T> T tag(Class<T> type) {
    Object v = tags.get(type);
    return v == null ? null : type.cast(v);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ChatRequest r)) {
      return false;
    }
    return Objects.equals(model, r.model)
        && messages.equals(r.messages)
        && Objects.equals(temperature, r.temperature)
        && Objects.equals(topP, r.topP)
        && Objects.equals(maxTokens, r.maxTokens)
        && stop.equals(r.stop)
        && Objects.equals(seed, r.seed)
        && Objects.equals(presencePenalty, r.presencePenalty)
        && Objects.equals(frequencyPenalty, r.frequencyPenalty)
        && Objects.equals(logprobs, r.logprobs)
        && Objects.equals(topLogprobs, r.topLogprobs)
        && tools.equals(r.tools)
        && Objects.equals(toolChoice, r.toolChoice)
        && Objects.equals(responseFormat, r.responseFormat)
        && extraBody.equals(r.extraBody)
        && Objects.equals(timeout, r.timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(model, messages, temperature, seed, tools, responseFormat, extraBody);
  }

  @Override
  public String toString() {
    return "ChatRequest[model=" + model + ", messages=" + messages.size() + "]";
  }

  /** Builds a {@link ChatRequest}. Not thread-safe. */
  public static final class Builder {
    private String model;
    private final List<ChatMessage> messages = new ArrayList<>();
    private Double temperature;
    private Double topP;
    private Integer maxTokens;
    private List<String> stop;
    private Long seed;
    private Double presencePenalty;
    private Double frequencyPenalty;
    private Boolean logprobs;
    private Integer topLogprobs;
    private final List<ToolDefinition> tools = new ArrayList<>();
    private String toolChoice;
    private ResponseFormat responseFormat;
    private final Map<String, Object> extraBody = new LinkedHashMap<>();
    private Duration timeout;
    private final Map<Class<?>, Object> tags = new LinkedHashMap<>();

    private Builder() {}

    private Builder(ChatRequest r) {
      model = r.model;
      messages.addAll(r.messages);
      temperature = r.temperature;
      topP = r.topP;
      maxTokens = r.maxTokens;
      stop = r.stop.isEmpty() ? null : r.stop;
      seed = r.seed;
      presencePenalty = r.presencePenalty;
      frequencyPenalty = r.frequencyPenalty;
      logprobs = r.logprobs;
      topLogprobs = r.topLogprobs;
      tools.addAll(r.tools);
      toolChoice = r.toolChoice;
      responseFormat = r.responseFormat;
      extraBody.putAll(r.extraBody);
      timeout = r.timeout;
      tags.putAll(r.tags);
    }

    public Builder model(String model) {
      this.model = model;
      return this;
    }

    /** Replaces the messages. */
    public Builder messages(List<ChatMessage> messages) {
      this.messages.clear();
      messages.forEach(this::addMessage);
      return this;
    }

    public Builder addMessage(ChatMessage message) {
      this.messages.add(Objects.requireNonNull(message, "message"));
      return this;
    }

    /** Sampling temperature in [0, 2]. */
    public Builder temperature(Double temperature) {
      check(
          temperature == null || (temperature >= 0 && temperature <= 2),
          "temperature",
          temperature,
          "must be in [0, 2]");
      this.temperature = temperature;
      return this;
    }

    /** Nucleus sampling mass in (0, 1]. */
    public Builder topP(Double topP) {
      check(topP == null || (topP > 0 && topP <= 1), "topP", topP, "must be in (0, 1]");
      this.topP = topP;
      return this;
    }

    /** Maximum completion tokens, >= 1. */
    public Builder maxTokens(Integer maxTokens) {
      check(maxTokens == null || maxTokens >= 1, "maxTokens", maxTokens, "must be >= 1");
      this.maxTokens = maxTokens;
      return this;
    }

    public Builder stop(List<String> stop) {
      this.stop = stop;
      return this;
    }

    public Builder seed(Long seed) {
      this.seed = seed;
      return this;
    }

    /** In [-2, 2]. */
    public Builder presencePenalty(Double v) {
      check(v == null || (v >= -2 && v <= 2), "presencePenalty", v, "must be in [-2, 2]");
      this.presencePenalty = v;
      return this;
    }

    /** In [-2, 2]. */
    public Builder frequencyPenalty(Double v) {
      check(v == null || (v >= -2 && v <= 2), "frequencyPenalty", v, "must be in [-2, 2]");
      this.frequencyPenalty = v;
      return this;
    }

    public Builder logprobs(Boolean logprobs) {
      this.logprobs = logprobs;
      return this;
    }

    /** In [0, 20]. */
    public Builder topLogprobs(Integer n) {
      check(n == null || (n >= 0 && n <= 20), "topLogprobs", n, "must be in [0, 20]");
      this.topLogprobs = n;
      return this;
    }

    /** Replaces the tools. */
    public Builder tools(List<ToolDefinition> tools) {
      this.tools.clear();
      this.tools.addAll(tools);
      return this;
    }

    public Builder toolChoice(String toolChoice) {
      this.toolChoice = toolChoice;
      return this;
    }

    public Builder responseFormat(ResponseFormat responseFormat) {
      this.responseFormat = responseFormat;
      return this;
    }

    /** Adds a provider-specific top-level body field, sent as is. */
    public Builder extraBody(String key, Object value) {
      Objects.requireNonNull(key, "key");
      this.extraBody.put(key, value);
      return this;
    }

    /** Replaces all extra body fields. */
    public Builder extraBody(Map<String, ?> extra) {
      this.extraBody.clear();
      this.extraBody.putAll(extra);
      return this;
    }

    /** Per-call timeout, positive. */
    public Builder timeout(Duration timeout) {
      check(
          timeout == null || (!timeout.isNegative() && !timeout.isZero()),
          "timeout",
          timeout,
          "must be positive");
      this.timeout = timeout;
      return this;
    }

    /**
     * Attaches {@code value} under {@code type}, replacing any earlier tag of that type; a null
     * value removes it. See {@link ChatRequest#tag(Class)}.
     */
    public <T> Builder tag(Class<T> type, T value) {
      Objects.requireNonNull(type, "type");
      if (value == null) {
        tags.remove(type);
      } else {
        tags.put(type, type.cast(value));
      }
      return this;
    }

    /**
     * Builds the request.
     *
     * @throws IllegalStateException when there are no messages
     */
    public ChatRequest build() {
      if (messages.isEmpty()) {
        throw new IllegalStateException("messages: a chat request needs at least one message");
      }
      return new ChatRequest(this);
    }

    private static void check(boolean ok, String field, Object value, String rule) {
      if (!ok) {
        throw new IllegalArgumentException(field + " " + rule + ", was " + value);
      }
    }
  }
}
