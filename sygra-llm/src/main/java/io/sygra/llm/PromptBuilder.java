package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.State;
import io.sygra.llm.internal.PromptSpec;
import io.sygra.llm.internal.RequestParameters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The settings every model-calling node shares: the prompt (role-tagged templates and message
 * history, in the order added), per-node model parameters, and usage recording. {@link
 * LlmNode.Builder}, {@link MultiLlmNode.Builder} and {@link AgentNode.Builder} extend it. Setters
 * validate at once and name the field and value on error. Not thread-safe.
 *
 * @param <B> the concrete builder type, returned by every setter
 */
public abstract class PromptBuilder<B extends PromptBuilder<B>> {
  final List<PromptSpec.Entry> prompt = new ArrayList<>();
  RequestParameters parameters = RequestParameters.empty();
  String usageKey;
  final Set<String> declaredWrites = new LinkedHashSet<>();
  boolean writesDeclared;

  PromptBuilder() {}

  @SuppressWarnings("unchecked")
  final B self() {
    return (B) this;
  }

  /**
   * Adds a system message rendered from {@code template} ({@code {var}} placeholders, see {@link
   * PromptTemplate}).
   *
   * @throws ConfigurationException for a malformed template
   */
  public B system(String template) {
    return message(ChatMessage.Role.SYSTEM, template);
  }

  /** Adds a user message rendered from {@code template}. */
  public B user(String template) {
    return message(ChatMessage.Role.USER, template);
  }

  /** Adds an assistant message rendered from {@code template} (few-shot examples, prefill). */
  public B assistant(String template) {
    return message(ChatMessage.Role.ASSISTANT, template);
  }

  /** Adds a message with any role rendered from {@code template}. */
  public B message(ChatMessage.Role role, String template) {
    Objects.requireNonNull(role, "role");
    ConfigurationException.check(template != null, "template", "must not be null");
    ConfigurationException.check(
        role != ChatMessage.Role.TOOL, "role", "tool messages cannot be templated");
    prompt.add(new PromptSpec.TemplateEntry(role, PromptTemplate.parse(template)));
    return self();
  }

  /** Adds a message rendered from an already parsed template. */
  public B message(ChatMessage.Role role, PromptTemplate template) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(template, "template");
    ConfigurationException.check(
        role != ChatMessage.Role.TOOL, "role", "tool messages cannot be templated");
    prompt.add(new PromptSpec.TemplateEntry(role, template));
    return self();
  }

  /**
   * Inserts the chat messages held under {@code key} at this point of the prompt (OpenAI chat
   * format maps, as {@link State#messages()} holds them). Use {@code history("messages")} to
   * continue the record's conversation. A key other than {@code messages} must be present in the
   * state; an absent {@code messages} is an empty conversation.
   */
  public B history(String key) {
    ConfigurationException.check(
        key != null && !key.isBlank(), "history", "key must be non-blank, was '" + key + "'");
    prompt.add(new PromptSpec.HistoryEntry(key));
    return self();
  }

  /** Sampling temperature in [0, 2]. */
  public B temperature(double temperature) {
    return parameter("temperature", temperature);
  }

  /** Nucleus sampling mass in (0, 1]. */
  public B topP(double topP) {
    return parameter("top_p", topP);
  }

  /** Maximum completion tokens, at least 1. */
  public B maxTokens(int maxTokens) {
    return parameter("max_tokens", maxTokens);
  }

  /** Sampling seed, for providers that support reproducible sampling. */
  public B seed(long seed) {
    return parameter("seed", seed);
  }

  /** Stop sequences. */
  public B stop(String... sequences) {
    return parameter("stop", List.of(sequences));
  }

  /** Per-call timeout (not part of the node fingerprint). */
  public B timeout(Duration timeout) {
    return parameter("timeout", timeout);
  }

  /**
   * Sets one model parameter by wire name ({@code temperature}, {@code top_p}, {@code max_tokens},
   * {@code seed}, {@code stop}, {@code presence_penalty}, {@code frequency_penalty}, {@code
   * logprobs}, {@code top_logprobs}, {@code tool_choice}, {@code timeout}; camelCase accepted). Any
   * other name is sent to the provider as an extra body field, as is. {@code null} removes it.
   *
   * @throws ConfigurationException naming {@code parameters.<name>} for an invalid value
   */
  public B parameter(String name, Object value) {
    parameters = parameters.with(name, value);
    return self();
  }

  /** Sets several model parameters, as {@link #parameter(String, Object)} does. */
  public B parameters(Map<String, ?> values) {
    Objects.requireNonNull(values, "parameters");
    values.forEach(this::parameter);
    return self();
  }

  /**
   * Writes token usage of this node's calls (summed over re-asks and agent turns) to {@code key} as
   * {@code {promptTokens, completionTokens, totalTokens, calls}}.
   */
  public B recordUsage(String key) {
    ConfigurationException.check(
        key != null && !key.isBlank(), "recordUsage", "key must be non-blank, was '" + key + "'");
    this.usageKey = key;
    return self();
  }

  /**
   * Declares further state keys the node writes (through a post-processor). Without it, a node with
   * a post-processor reports its writes as unknown, which turns off the graph's check of template
   * variables against declared inputs.
   */
  public B writes(String... keys) {
    for (String k : keys) {
      ConfigurationException.check(
          k != null && !k.isBlank(), "writes", "keys must be non-blank, was '" + k + "'");
      declaredWrites.add(k);
    }
    writesDeclared = true;
    return self();
  }

  /** The prompt and shared settings for a node; {@code what} names the node kind in errors. */
  NodeCommon common(String what) {
    ConfigurationException.check(
        !prompt.isEmpty(),
        "prompt",
        what + " needs a prompt: add system(...), user(...) or history(...)");
    return new NodeCommon(
        new PromptSpec(prompt), parameters, usageKey, declaredWrites, writesDeclared);
  }
}
