package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Node;
import io.sygra.core.NodeContext;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.NodeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * A graph node that sends the same rendered prompt to several labelled models in parallel and
 * writes their replies as a map {@code {label: reply}} under one key, so later templates can read
 * {@code {answers.gpt}} and {@code {answers.llama}}. Typical use: candidate responses for
 * preference data.
 *
 * <pre>{@code
 * Node candidates = MultiLlmNode.builder()
 *     .model("strong", strongClient, "gpt-4o")
 *     .model("weak", weakClient, "llama-3.1-8b")
 *     .user("{question}")
 *     .output("answers")
 *     .build();
 * }</pre>
 *
 * <p>With structured output each reply is checked (and re-asked) as in {@link LlmNode} and the map
 * holds the JSON values. By default one model's failure fails the record; with {@link
 * Builder#errors(String)} failures are recorded per label under that key and the record continues
 * with the other replies (it still fails when every model fails).
 *
 * <p>Never blocks; thread-safe; a {@link ReportContributor} standing for all its clients.
 */
public final class MultiLlmNode implements Node, ReportContributor {

  /** One labelled model. */
  private record Target(String label, ModelClient client, String model) {}

  private final List<Target> targets;
  private final NodeCommon common;
  private final String outputKey;
  private final String errorsKey;
  private final StructuredOutput<?> structured;
  private final boolean nativeStructured;
  private final int maxParseAttempts;
  private final BiFunction<State, Map<String, ChatResponse>, State> postProcess;
  private final NodeMetrics metrics = new NodeMetrics("multi-llm");

  private MultiLlmNode(Builder b) {
    this.targets = List.copyOf(b.targets.values());
    this.common = b.common("multi-llm node");
    this.outputKey = b.outputKey;
    this.errorsKey = b.errorsKey;
    this.structured = b.structured;
    this.nativeStructured = b.nativeStructured;
    this.maxParseAttempts = b.maxParseAttempts;
    this.postProcess = b.postProcess;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** One model's outcome: a value and its response, or an error. */
  private record Outcome(
      Object value, ChatResponse response, Usage usage, int calls, Throwable error) {}

  @Override
  public CompletionStage<NodeResult> run(State state, NodeContext ctx) {
    List<ChatMessage> messages;
    try {
      messages = common.prompt().render(state, ctx.node());
      if (structured != null && !nativeStructured) {
        messages = ModelCalls.withFormatInstructions(messages, structured.formatInstructions());
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<CompletableFuture<Outcome>> futures = new ArrayList<>(targets.size());
    for (Target t : targets) {
      futures.add(callOne(t, messages, ctx));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApplyAsync(ignored -> combine(state, ctx, futures), ctx.executor());
  }

  private CompletableFuture<Outcome> callOne(
      Target t, List<ChatMessage> messages, NodeContext ctx) {
    ChatRequest request;
    try {
      ChatRequest.Builder b = ChatRequest.builder().model(t.model()).messages(messages);
      common.parameters().applyTo(b);
      if (structured != null && nativeStructured) {
        b.responseFormat(structured.responseFormat());
      }
      request = b.build();
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(new Outcome(null, null, null, 0, e));
    }
    CompletableFuture<Outcome> f;
    if (structured == null) {
      f =
          ModelCalls.call(t.client(), request, metrics, ctx.node())
              .thenApply(r -> new Outcome(ModelCalls.requireText(r, ctx), r, r.usage(), 1, null));
    } else {
      f =
          ModelCalls.structured(t.client(), request, structured, maxParseAttempts, metrics, ctx)
              .thenApply(r -> new Outcome(r.json(), r.response(), r.usage(), r.attempts(), null));
    }
    return f.exceptionally(e -> new Outcome(null, null, null, 0, ModelCalls.unwrap(e)));
  }

  private NodeResult combine(State state, NodeContext ctx, List<CompletableFuture<Outcome>> fs) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Object> errors = new LinkedHashMap<>();
    Map<String, ChatResponse> responses = new LinkedHashMap<>();
    Map<String, Object> usage = new LinkedHashMap<>();
    Throwable firstError = null;
    String firstLabel = null;
    for (int i = 0; i < targets.size(); i++) {
      String label = targets.get(i).label();
      Outcome o = fs.get(i).getNow(null); // complete: allOf finished, and errors became outcomes
      if (o.error() != null) {
        if (firstError == null) {
          firstError = o.error();
          firstLabel = label;
        }
        errors.put(label, String.valueOf(o.error().getMessage()));
        continue;
      }
      values.put(label, o.value());
      responses.put(label, o.response());
      usage.put(label, ModelCalls.usageMap(o.usage(), o.calls()));
    }
    if (firstError != null && (errorsKey == null || values.isEmpty())) {
      throw new LabelFailure(ctx, firstLabel, values.isEmpty() && targets.size() > 1, firstError);
    }
    State s = state.with(outputKey, values);
    if (errorsKey != null) {
      s = s.with(errorsKey, errors);
    }
    s = common.withUsage(s, () -> usage);
    return NodeResult.of(NodeCommon.post(postProcess, s, responses));
  }

  /** One labelled model failed (or all did), naming the node, record and label. */
  static final class LabelFailure extends io.sygra.core.SygraException {
    private static final long serialVersionUID = 1L;

    LabelFailure(NodeContext ctx, String label, boolean all, Throwable cause) {
      super(
          "node '"
              + ctx.node()
              + "' (record '"
              + ctx.recordId()
              + "'): "
              + (all ? "every model failed; first, " : "")
              + "model '"
              + label
              + "' failed: "
              + cause.getMessage(),
          cause);
      if (cause instanceof io.sygra.core.SygraException se) {
        withAttempts(se.attempts());
      }
    }
  }

  @Override
  public String kind() {
    return "multi-llm";
  }

  @Override
  public String fingerprint() {
    StringBuilder sb = new StringBuilder("multi-llm\n");
    for (Target t : targets) {
      sb.append("model ")
          .append(t.label())
          .append(' ')
          .append(t.client().provider())
          .append(' ')
          .append(t.model())
          .append('\n');
    }
    common.fingerprint(sb);
    sb.append("output ").append(outputKey).append(" errors ").append(errorsKey).append('\n');
    if (structured != null) {
      NodeCommon.fingerprintStructured(sb, structured, "", nativeStructured, maxParseAttempts);
    }
    return common.fingerprintEnd(sb, postProcess != null);
  }

  @Override
  public Optional<Set<String>> reads() {
    return common.reads();
  }

  @Override
  public Optional<Set<String>> writes() {
    List<String> w = new ArrayList<>();
    w.add(outputKey);
    if (errorsKey != null) {
      w.add(errorsKey);
    }
    return common.writes(postProcess != null, w);
  }

  @Override
  public void contribute(Map<String, Object> sections) {
    metrics.contributeTo(sections);
  }

  @Override
  public List<ReportContributor> children() {
    List<ReportContributor> out = new ArrayList<>();
    for (Target t : targets) {
      if (t.client() instanceof ReportContributor rc && !out.contains(rc)) {
        out.add(rc);
      }
    }
    return out;
  }

  /** The labels, in order. */
  public List<String> labels() {
    return targets.stream().map(Target::label).toList();
  }

  @Override
  public String toString() {
    return "MultiLlmNode" + labels();
  }

  /**
   * Builds a {@link MultiLlmNode}. Needs at least one {@link #model labelled model}, a prompt and
   * an {@link #output(String) output key}. Not thread-safe.
   */
  public static final class Builder extends PromptBuilder<Builder> {
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private String outputKey;
    private String errorsKey;
    private StructuredOutput<?> structured;
    private boolean nativeStructured = true;
    private int maxParseAttempts = 3;
    private BiFunction<State, Map<String, ChatResponse>, State> postProcess;

    private Builder() {}

    /** Adds a model under {@code label}, using the client's default model name. */
    public Builder model(String label, ModelClient client) {
      return model(label, client, null);
    }

    /**
     * Adds a model under {@code label} ({@code [A-Za-z0-9_-]+}, unique), sending {@code model} as
     * the model name (null: the client's default).
     */
    public Builder model(String label, ModelClient client, String model) {
      ConfigurationException.check(
          label != null && label.matches("[A-Za-z_][A-Za-z0-9_-]*"),
          "model.label",
          "must match [A-Za-z_][A-Za-z0-9_-]* so templates can read {key.label}, was '"
              + label
              + "'");
      ConfigurationException.check(
          !targets.containsKey(label), "model.label", "duplicate label '" + label + "'");
      Objects.requireNonNull(client, "client");
      targets.put(label, new Target(label, client, model));
      return this;
    }

    /** The state key receiving the map {@code {label: reply}} (required). */
    public Builder output(String key) {
      ConfigurationException.check(
          key != null && !key.isBlank() && !State.MESSAGES.equals(key),
          "output",
          "key must be non-blank and not 'messages', was '" + key + "'");
      this.outputKey = key;
      return this;
    }

    /**
     * Records a failing model's error under {@code key} as {@code {label: message}} and continues
     * with the others, instead of failing the record. The record still fails when every model
     * fails.
     */
    public Builder errors(String key) {
      ConfigurationException.check(
          key != null && !key.isBlank() && !State.MESSAGES.equals(key),
          "errors",
          "key must be non-blank and not 'messages', was '" + key + "'");
      this.errorsKey = key;
      return this;
    }

    /** Asks every model for structured output of {@code type}; the map holds JSON values. */
    public Builder structuredOutput(Class<?> type) {
      return structuredOutput(StructuredOutput.of(type));
    }

    /** Asks every model for structured output; the map holds the checked JSON values. */
    public Builder structuredOutput(StructuredOutput<?> spec) {
      this.structured = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /** As {@link LlmNode.Builder#nativeStructuredOutput(boolean)}, for every model. */
    public Builder nativeStructuredOutput(boolean enabled) {
      this.nativeStructured = enabled;
      return this;
    }

    /** As {@link LlmNode.Builder#maxParseAttempts(int)}, per model. */
    public Builder maxParseAttempts(int attempts) {
      this.maxParseAttempts = NodeCommon.maxParseAttempts(attempts);
      return this;
    }

    /**
     * A function applied after the outputs are written, with each successful model's last response
     * by label (on the run's executor).
     */
    public Builder postProcess(BiFunction<State, Map<String, ChatResponse>, State> postProcess) {
      this.postProcess = Objects.requireNonNull(postProcess, "postProcess");
      return this;
    }

    /**
     * Builds the node. {@link #recordUsage(String)} writes a map of usage by label.
     *
     * @throws ConfigurationException when models, prompt or output are missing
     */
    public MultiLlmNode build() {
      ConfigurationException.check(
          !targets.isEmpty(), "model", "a multi-llm node needs at least one model(label, client)");
      ConfigurationException.check(
          outputKey != null, "output", "a multi-llm node needs output(key)");
      return new MultiLlmNode(this);
    }
  }
}
