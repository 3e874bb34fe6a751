package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.State;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.PromptSpec;
import io.sygra.llm.internal.RequestParameters;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * What every model-calling node ({@link LlmNode}, {@link MultiLlmNode}, {@link AgentNode}) takes
 * from its {@link PromptBuilder}, with the behaviour they share: reads, writes, the prompt part of
 * the fingerprint, usage recording and post-processing; plus the builder checks they share.
 */
record NodeCommon(
    PromptSpec prompt,
    RequestParameters parameters,
    String usageKey,
    Set<String> declaredWrites,
    boolean writesDeclared) {

  NodeCommon {
    declaredWrites = Set.copyOf(declaredWrites);
  }

  /** The template variables and history keys of the prompt. */
  Optional<Set<String>> reads() {
    return Optional.of(prompt.reads());
  }

  /**
   * {@code outputs} plus the declared keys and the usage key; unknown (empty) when a post-processor
   * is set without declared writes.
   */
  Optional<Set<String>> writes(boolean postProcess, Collection<String> outputs) {
    if (postProcess && !writesDeclared) {
      return Optional.empty();
    }
    Set<String> w = new HashSet<>(declaredWrites);
    w.addAll(outputs);
    if (usageKey != null) {
      w.add(usageKey);
    }
    return Optional.of(Set.copyOf(w));
  }

  /** Appends the prompt and parameter lines of the node's fingerprint. */
  StringBuilder fingerprint(StringBuilder sb) {
    sb.append("prompt\n").append(prompt.fingerprint());
    sb.append("parameters ").append(parameters.fingerprint()).append('\n');
    return sb;
  }

  /** Appends the usage key and whether a post-processor is set: the fingerprint's last part. */
  String fingerprintEnd(StringBuilder sb, boolean postProcess) {
    return sb.append("usage ").append(usageKey).append(" post ").append(postProcess).toString();
  }

  /**
   * Appends the structured-output line of a fingerprint; {@code target} (with its leading space)
   * says where the value goes, empty when the node has one place only.
   */
  static void fingerprintStructured(
      StringBuilder sb,
      StructuredOutput<?> structured,
      String target,
      boolean nativeStructured,
      int maxParseAttempts) {
    sb.append("structured ")
        .append(structured.name())
        .append(target)
        .append(" native ")
        .append(nativeStructured)
        .append(" attempts ")
        .append(maxParseAttempts)
        .append(' ')
        .append(NodeJson.canonical(structured.schema()))
        .append('\n');
  }

  /** {@code s} with the usage written under the usage key; unchanged when there is none. */
  State withUsage(State s, Supplier<?> usage) {
    return usageKey == null ? s : s.with(usageKey, usage.get());
  }

  /** {@code s} after the post-processor, if any; it must not return null. */
  static <R> State post(BiFunction<State, R, State> postProcess, State s, R responses) {
    if (postProcess == null) {
      return s;
    }
    return Objects.requireNonNull(postProcess.apply(s, responses), "postProcess returned null");
  }

  /** Checks the model name a node sends: null (the client's default) or non-blank. */
  static String model(String model) {
    ConfigurationException.check(
        model == null || !model.isBlank(), "model", "must be non-blank when set, was ''");
    return model;
  }

  /** Checks the number of replies tried for structured output. */
  static int maxParseAttempts(int attempts) {
    ConfigurationException.check(
        attempts >= 1, "maxParseAttempts", "must be >= 1, was " + attempts);
    return attempts;
  }

  /** Checks a text output key; {@code messagesHint} says what to use instead of 'messages'. */
  static String outputKey(String key, String messagesHint) {
    ConfigurationException.check(
        key != null && !key.isBlank(), "output", "key must be non-blank, was '" + key + "'");
    ConfigurationException.check(!State.MESSAGES.equals(key), "output", messagesHint);
    return key;
  }
}
