package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Key;
import io.sygra.core.Node;
import io.sygra.core.NodeContext;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.NodeMetrics;
import io.sygra.llm.internal.StateMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * A graph node that renders a prompt from the record's state, calls a model, and writes the reply
 * back: as text under a key, as a message appended to {@code messages}, and/or as structured output
 * (typed values checked against a JSON schema).
 *
 * <pre>{@code
 * record Verdict(@Min(1) @Max(10) int score, String reason) {}
 *
 * Node judge = LlmNode.builder()
 *     .client(client)
 *     .system("You grade answers strictly.")
 *     .user("Question: {question}\nAnswer: {answer}\nGrade the answer.")
 *     .temperature(0)
 *     .structuredOutput(Verdict.class)      // writes state keys "score" and "reason"
 *     .build();
 * }</pre>
 *
 * <p><b>Prompt.</b> Messages are rendered in the order added ({@link PromptBuilder#system}, {@link
 * PromptBuilder#user}, {@link PromptBuilder#assistant}, {@link PromptBuilder#history}). A missing
 * variable fails the record with a {@link TemplateException} naming the node and variable.
 *
 * <p><b>Structured output.</b> With {@link Builder#nativeStructuredOutput(boolean) native}
 * structured output (the default) the schema is sent as {@code response_format: json_schema};
 * otherwise format instructions are appended to the prompt. Either way the reply is parsed
 * leniently and validated; an unusable reply is re-asked with the problems appended as a user turn,
 * up to {@link Builder#maxParseAttempts(int)} replies in all, after which the record fails with a
 * {@link StructuredOutputException} carrying the raw reply.
 *
 * <p><b>Threads.</b> {@link #run} never blocks: it returns the client's future, chained; parsing
 * and state updates run on {@link NodeContext#executor()}.
 *
 * <p><b>Report.</b> The node is a {@link ReportContributor}: it adds per-node figures (requests,
 * failures, tokens, re-asks, latency percentiles) to the report's {@code nodes} section, and stands
 * for its client (so a {@link SimulatedModelClient}'s notice is printed).
 *
 * <p>Instances are immutable apart from their counters, and thread-safe.
 */
public final class LlmNode implements Node, ReportContributor {
  private final ModelClient client;
  private final String model;
  private final NodeCommon common;
  private final String outputKey;
  private final ChatMessage.Role appendRole;
  private final StructuredOutput<?> structured;
  private final String structuredKey; // null: spread properties into state keys
  private final boolean nativeStructured;
  private final int maxParseAttempts;
  private final BiFunction<State, ChatResponse, State> postProcess;
  private final NodeMetrics metrics = new NodeMetrics("llm");

  private LlmNode(Builder b) {
    this.client = b.client;
    this.model = b.model;
    this.common = b.common("llm node");
    this.outputKey = b.outputKey;
    this.appendRole = b.appendRole;
    this.structured = b.structured;
    this.structuredKey = b.structuredKey;
    this.nativeStructured = b.nativeStructured;
    this.maxParseAttempts = b.maxParseAttempts;
    this.postProcess = b.postProcess;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<NodeResult> run(State state, NodeContext ctx) {
    ChatRequest request;
    try {
      request = request(state, ctx.node());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (structured == null) {
      return ModelCalls.call(client, request, metrics, ctx.node())
          .thenApplyAsync(
              resp -> {
                String text = ModelCalls.requireText(resp, ctx);
                State s = writeText(state, text);
                s = common.withUsage(s, () -> ModelCalls.usageMap(resp.usage(), 1));
                return NodeResult.of(NodeCommon.post(postProcess, s, resp));
              },
              ctx.executor());
    }
    return ModelCalls.structured(client, request, structured, maxParseAttempts, metrics, ctx)
        .thenApply(
            r -> {
              State s = writeText(state, r.response().text());
              s = writeStructured(s, r.value(), r.json());
              s = common.withUsage(s, () -> ModelCalls.usageMap(r.usage(), r.attempts()));
              return NodeResult.of(NodeCommon.post(postProcess, s, r.response()));
            });
  }

  /** The request this node would send for {@code state} (rendered prompt, parameters, format). */
  ChatRequest request(State state, String node) {
    List<ChatMessage> messages = common.prompt().render(state, node);
    ChatRequest.Builder b = ChatRequest.builder().model(model);
    if (structured != null) {
      if (nativeStructured) {
        b.responseFormat(structured.responseFormat());
      } else {
        messages = ModelCalls.withFormatInstructions(messages, structured.formatInstructions());
      }
    }
    b.messages(messages);
    common.parameters().applyTo(b);
    return b.build();
  }

  private State writeText(State s, String text) {
    if (outputKey != null) {
      s = s.with(outputKey, text);
    }
    if (appendRole != null) {
      s = s.with(State.MESSAGES, StateMessages.write(ChatMessage.of(appendRole, text)));
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private State writeStructured(State s, Object value, Object json) {
    if (structuredKey != null) {
      return s.with(structuredKey, structured.type() == null ? json : value);
    }
    // Through the typed value, so @JsonValue enums and renamed properties read back as written.
    Object plain = structured.type() == null ? json : NodeJson.toPlain(value);
    return s.withAll((Map<String, ?>) plain);
  }

  @Override
  public String kind() {
    return "llm";
  }

  /** Prompt templates, model, parameters, outputs and schema; never secrets. */
  @Override
  public String fingerprint() {
    StringBuilder sb = new StringBuilder("llm\n");
    sb.append("provider ").append(client.provider()).append('\n');
    sb.append("model ").append(model).append('\n');
    common.fingerprint(sb);
    sb.append("output ").append(outputKey).append(" append ").append(appendRole).append('\n');
    if (structured != null) {
      NodeCommon.fingerprintStructured(
          sb, structured, " " + structuredKey, nativeStructured, maxParseAttempts);
    }
    return common.fingerprintEnd(sb, postProcess != null);
  }

  /** Template variables and history keys. */
  @Override
  public Optional<Set<String>> reads() {
    return common.reads();
  }

  /**
   * The output key, {@code messages} when appending, structured-output keys and the usage key;
   * unknown (empty) when a post-processor is set without {@link PromptBuilder#writes(String...)}.
   */
  @Override
  public Optional<Set<String>> writes() {
    List<String> w = new ArrayList<>();
    if (outputKey != null) {
      w.add(outputKey);
    }
    if (appendRole != null) {
      w.add(State.MESSAGES);
    }
    if (structured != null) {
      if (structuredKey != null) {
        w.add(structuredKey);
      } else {
        w.addAll(structured.properties());
      }
    }
    return common.writes(postProcess != null, w);
  }

  @Override
  public void contribute(Map<String, Object> sections) {
    metrics.contributeTo(sections);
  }

  @Override
  public List<ReportContributor> children() {
    return client instanceof ReportContributor rc ? List.of(rc) : List.of();
  }

  /** The client this node calls. */
  public ModelClient client() {
    return client;
  }

  @Override
  public String toString() {
    return "LlmNode[" + client.provider() + (model == null ? "" : "/" + model) + "]";
  }

  /**
   * Builds an {@link LlmNode}. Needs a {@link #client(ModelClient) client}, a prompt, and at least
   * one output: {@link #output(String)}, {@link #appendMessage()}, a structured output, or a {@link
   * #postProcess post-processor}. Not thread-safe.
   */
  public static final class Builder extends PromptBuilder<Builder> {
    private ModelClient client;
    private String model;
    private String outputKey;
    private ChatMessage.Role appendRole;
    private StructuredOutput<?> structured;
    private String structuredKey;
    private boolean nativeStructured = true;
    private int maxParseAttempts = 3;
    private BiFunction<State, ChatResponse, State> postProcess;

    private Builder() {}

    /** The model client to call (required). */
    public Builder client(ModelClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The model name sent with each request; unset means the client's default model. */
    public Builder model(String model) {
      this.model = NodeCommon.model(model);
      return this;
    }

    /** Writes the reply text to state key {@code key}. */
    public Builder output(String key) {
      this.outputKey =
          NodeCommon.outputKey(key, "use appendMessage() to add the reply to 'messages'");
      return this;
    }

    /** Writes the reply text to {@code key}. */
    public Builder output(Key<String> key) {
      return output(key.name());
    }

    /** Appends the reply to {@code messages} as an assistant message. */
    public Builder appendMessage() {
      return appendMessage(ChatMessage.Role.ASSISTANT);
    }

    /**
     * Appends the reply to {@code messages} with {@code role} (e.g. {@code USER} when a model plays
     * the user in a simulated conversation).
     */
    public Builder appendMessage(ChatMessage.Role role) {
      Objects.requireNonNull(role, "role");
      ConfigurationException.check(
          role != ChatMessage.Role.TOOL, "appendMessage", "role must not be TOOL");
      this.appendRole = role;
      return this;
    }

    /**
     * Asks for structured output of a record or bean type and writes each of its properties to the
     * state key of the same name ({@code record Verdict(int score, String reason)} writes {@code
     * score} and {@code reason}).
     *
     * @throws ConfigurationException when the type is not an object type (use {@link
     *     #structuredOutput(Key)} for lists and scalars) or has a property named {@code messages}
     */
    public Builder structuredOutput(Class<?> type) {
      return structuredOutput(StructuredOutput.of(type));
    }

    /**
     * Asks for structured output and writes each top-level property to the state key of the same
     * name.
     *
     * @throws ConfigurationException when the schema's root is not an object with properties, or
     *     has a property named {@code messages}
     */
    public Builder structuredOutput(StructuredOutput<?> spec) {
      Objects.requireNonNull(spec, "spec");
      ConfigurationException.check(
          !spec.properties().isEmpty(),
          "structuredOutput",
          "'"
              + spec.name()
              + "' has no top-level properties to write as state keys; use"
              + " structuredOutput(Key) or structuredOutput(key, spec) to store it under one key");
      ConfigurationException.check(
          !spec.properties().contains(State.MESSAGES),
          "structuredOutput",
          "'"
              + spec.name()
              + "' has a property named 'messages', which would append to the chat"
              + " history; store it under one key with structuredOutput(key, spec)");
      this.structured = spec;
      this.structuredKey = null;
      return this;
    }

    /** Asks for structured output of the key's type and writes the value under the key. */
    public Builder structuredOutput(Key<?> key) {
      Objects.requireNonNull(key, "key");
      return structuredOutput(key.name(), StructuredOutput.of(key));
    }

    /** Asks for structured output and writes the value (as JSON) under {@code key}. */
    public Builder structuredOutput(String key, StructuredOutput<?> spec) {
      ConfigurationException.check(
          key != null && !key.isBlank(),
          "structuredOutput",
          "key must be non-blank, was '" + key + "'");
      ConfigurationException.check(
          !State.MESSAGES.equals(key), "structuredOutput", "key must not be 'messages'");
      this.structured = Objects.requireNonNull(spec, "spec");
      this.structuredKey = key;
      return this;
    }

    /**
     * Whether the provider enforces JSON schemas natively ({@code response_format: json_schema};
     * default true, as OpenAI, Azure OpenAI, vLLM and Ollama do). When false, format instructions
     * showing the schema are appended to the last user message instead. Replies are validated
     * either way.
     */
    public Builder nativeStructuredOutput(boolean enabled) {
      this.nativeStructured = enabled;
      return this;
    }

    /**
     * Most replies tried for structured output, the first included (default 3, at least 1). Each
     * retry shows the model its previous reply and what was wrong with it.
     */
    public Builder maxParseAttempts(int attempts) {
      this.maxParseAttempts = NodeCommon.maxParseAttempts(attempts);
      return this;
    }

    /**
     * A function applied after the outputs are written, with the final response (on the run's
     * executor). Declare the keys it writes with {@link #writes(String...)}.
     */
    public Builder postProcess(BiFunction<State, ChatResponse, State> postProcess) {
      this.postProcess = Objects.requireNonNull(postProcess, "postProcess");
      return this;
    }

    /**
     * Builds the node.
     *
     * @throws ConfigurationException when the client, prompt or every output is missing
     */
    public LlmNode build() {
      ConfigurationException.check(client != null, "client", "an llm node needs client(...)");
      ConfigurationException.check(
          outputKey != null || appendRole != null || structured != null || postProcess != null,
          "output",
          "an llm node needs output(key), appendMessage(), structuredOutput(...) or"
              + " postProcess(...)");
      return new LlmNode(this);
    }
  }
}
