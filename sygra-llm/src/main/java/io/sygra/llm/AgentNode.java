package io.sygra.llm;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Node;
import io.sygra.core.NodeContext;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import io.sygra.core.run.ReportContributor;
import io.sygra.llm.internal.LenientJson;
import io.sygra.llm.internal.NodeJson;
import io.sygra.llm.internal.NodeMetrics;
import io.sygra.llm.internal.PromptSpec;
import io.sygra.llm.internal.StateMessages;
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
 * A graph node that runs a tool-calling loop: it sends the rendered prompt with the tools, executes
 * the tool calls the model asks for (on the run's CPU executor, several calls of one turn in
 * parallel), sends the results back, and repeats until the model answers in text or the iteration
 * limit is reached. The trajectory (every tool call with its arguments and result) is recorded in
 * state.
 *
 * <pre>{@code
 * Node agent = AgentNode.builder()
 *     .client(client)
 *     .system("Answer with the help of the tools.")
 *     .user("{question}")
 *     .tools(weather, calculator)
 *     .maxIterations(5)
 *     .output("answer")                // final text; trajectory under "trajectory"
 *     .build();
 * }</pre>
 *
 * <p>Tool errors (unknown tool, invalid arguments, a throwing tool) are shown to the model as the
 * tool's result, marked {@code error} in the trajectory, so it can correct itself; {@link
 * ToolErrors#FAIL} fails the record instead. When the model still asks for tools on its {@link
 * Builder#maxIterations(int) last allowed call}, {@link MaxIterations} decides: fail (default),
 * drop the record, or ask once more for a final answer with tools disabled.
 *
 * <p>Never blocks; thread-safe; a {@link ReportContributor} like {@link LlmNode}.
 */
public final class AgentNode implements Node, ReportContributor {

  /** What to do when the model is still calling tools at the iteration limit. */
  public enum MaxIterations {
    /** Fail the record with an {@link AgentException}. */
    FAIL,
    /** Drop the record with a reason naming the limit. */
    DROP,
    /**
     * Discard the last tool requests and make one more call with {@code tool_choice: none}, asking
     * for a final answer from what the tools returned so far.
     */
    FORCE_ANSWER
  }

  /** How tool failures are handled. */
  public enum ToolErrors {
    /** Show the error to the model as the tool's result and continue (default). */
    REPORT_TO_MODEL,
    /** Fail the record with the {@link ToolException}. */
    FAIL
  }

  static final String FORCE_ANSWER_PROMPT =
      "Stop calling tools now. Give your final answer using the tool results you already have.";

  private final ModelClient client;
  private final String model;
  private final NodeCommon common;
  private final ToolRegistry tools;
  private final int maxIterations;
  private final MaxIterations onMaxIterations;
  private final ToolErrors toolErrors;
  private final String outputKey;
  private final boolean appendAnswer;
  private final boolean appendTranscript;
  private final String trajectoryKey;
  private final BiFunction<State, ChatResponse, State> postProcess;
  private final NodeMetrics metrics = new NodeMetrics("agent");

  private AgentNode(Builder b) {
    this.client = b.client;
    this.model = b.model;
    this.common = b.common("agent node");
    this.tools = b.tools;
    this.maxIterations = b.maxIterations;
    this.onMaxIterations = b.onMaxIterations;
    this.toolErrors = b.toolErrors;
    this.outputKey = b.outputKey;
    this.appendAnswer = b.appendAnswer;
    this.appendTranscript = b.appendTranscript;
    this.trajectoryKey = b.trajectoryKey;
    this.postProcess = b.postProcess;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Per-record loop state; confined to one record's chain of stages. */
  private final class Loop {
    final State state;
    final NodeContext ctx;
    final List<ChatMessage> conversation;
    final int firstNew; // index of the first message to append with appendTranscript
    final List<AgentStep> steps = new ArrayList<>();
    Usage usage = Usage.NONE;
    int calls;

    Loop(State state, NodeContext ctx, List<ChatMessage> conversation, int firstNew) {
      this.state = state;
      this.ctx = ctx;
      this.conversation = conversation;
      this.firstNew = firstNew;
    }
  }

  @Override
  public CompletionStage<NodeResult> run(State state, NodeContext ctx) {
    Loop loop;
    try {
      List<ChatMessage> rendered = common.prompt().render(state, ctx.node());
      loop = new Loop(state, ctx, new ArrayList<>(rendered), 0);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return turn(loop);
  }

  private ChatRequest request(List<ChatMessage> conversation, boolean toolsOff) {
    ChatRequest.Builder b = ChatRequest.builder().model(model).messages(conversation);
    common.parameters().applyTo(b);
    b.tools(tools.definitions());
    if (toolsOff) {
      b.toolChoice("none");
    }
    return b.build();
  }

  private CompletableFuture<NodeResult> turn(Loop loop) {
    ChatRequest req;
    try {
      req = request(loop.conversation, false);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ModelCalls.call(client, req, metrics, loop.ctx.node())
        .thenComposeAsync(
            resp -> {
              loop.calls++;
              loop.usage = loop.usage.plus(resp.usage());
              if (resp.toolCalls().isEmpty()) {
                ModelCalls.requireText(resp, loop.ctx);
                return CompletableFuture.completedFuture(finish(loop, resp));
              }
              if (loop.calls >= maxIterations) {
                return atLimit(loop);
              }
              return runTools(loop, resp).thenCompose(ignored -> turn(loop));
            },
            loop.ctx.executor());
  }

  private CompletableFuture<NodeResult> atLimit(Loop loop) {
    String what =
        "the model was still calling tools after "
            + loop.calls
            + " calls (maxIterations "
            + maxIterations
            + ")";
    switch (onMaxIterations) {
      case DROP:
        return CompletableFuture.completedFuture(NodeResult.drop("agent: " + what));
      case FORCE_ANSWER:
        loop.conversation.add(ChatMessage.user(FORCE_ANSWER_PROMPT));
        ChatRequest req;
        try {
          req = request(loop.conversation, true);
        } catch (RuntimeException e) {
          return CompletableFuture.failedFuture(e);
        }
        return ModelCalls.call(client, req, metrics, loop.ctx.node())
            .thenApplyAsync(
                resp -> {
                  loop.calls++;
                  loop.usage = loop.usage.plus(resp.usage());
                  if (resp.text() == null || !resp.toolCalls().isEmpty()) {
                    throw new AgentException(
                        loop.ctx.node(),
                        loop.ctx.recordId(),
                        loop.calls,
                        what
                            + ", and the forced final answer "
                            + (resp.text() == null ? "had no text" : "still called tools"));
                  }
                  return finish(loop, resp);
                },
                loop.ctx.executor());
      case FAIL:
      default:
        return CompletableFuture.failedFuture(
            new AgentException(loop.ctx.node(), loop.ctx.recordId(), loop.calls, what));
    }
  }

  /** Executes one turn's tool calls in parallel on the executor and appends the results. */
  private CompletableFuture<Void> runTools(Loop loop, ChatResponse resp) {
    List<ToolCall> calls = new ArrayList<>(resp.toolCalls().size());
    for (int i = 0; i < resp.toolCalls().size(); i++) {
      ToolCall c = resp.toolCalls().get(i);
      String id = c.id().isEmpty() ? "call_" + loop.calls + "_" + (i + 1) : c.id();
      calls.add(new ToolCall(id, c.name(), c.arguments()));
    }
    loop.conversation.add(ChatMessage.assistant(resp.text(), calls));
    List<CompletableFuture<AgentStep>> results = new ArrayList<>(calls.size());
    int iteration = loop.calls;
    for (ToolCall c : calls) {
      results.add(
          CompletableFuture.supplyAsync(
              () -> execute(loop.ctx, iteration, c), loop.ctx.executor()));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenRun(
            () -> {
              metrics.toolCalls(loop.ctx.node(), calls.size());
              for (CompletableFuture<AgentStep> f : results) {
                AgentStep step = f.getNow(null); // complete: allOf succeeded
                loop.steps.add(step);
                loop.conversation.add(ChatMessage.tool(step.callId(), step.tool(), step.result()));
              }
            });
  }

  private AgentStep execute(NodeContext ctx, int iteration, ToolCall call) {
    Object args = argumentsForTrajectory(call.arguments());
    try {
      Tool tool =
          tools
              .find(call.name())
              .orElseThrow(
                  () ->
                      new ToolException(
                          null,
                          call.name(),
                          ToolException.Kind.UNKNOWN_TOOL,
                          "no such tool; available tools: " + tools.names(),
                          null));
      String result = tool.invoke(call.arguments());
      return new AgentStep(iteration, call.name(), call.id(), args, result, false);
    } catch (ToolException e) {
      if (toolErrors == ToolErrors.FAIL) {
        throw e.in(ctx.node());
      }
      return new AgentStep(iteration, call.name(), call.id(), args, "error: " + e.detail(), true);
    }
  }

  private static Object argumentsForTrajectory(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try {
      return LenientJson.read(text, LenientJson.Root.OBJECT);
    } catch (LenientJson.Problem p) {
      return text;
    }
  }

  private NodeResult finish(Loop loop, ChatResponse resp) {
    String text = resp.text();
    State s = loop.state;
    if (outputKey != null) {
      s = s.with(outputKey, text);
    }
    if (appendTranscript) {
      List<Map<String, Object>> msgs = new ArrayList<>();
      boolean historyEmpty = historyEmpty(loop.state);
      for (ChatMessage m : transcriptOf(loop, historyEmpty)) {
        msgs.add(StateMessages.write(m));
      }
      msgs.add(StateMessages.write(ChatMessage.assistant(text)));
      s = s.with(State.MESSAGES, msgs);
    } else if (appendAnswer) {
      s = s.with(State.MESSAGES, StateMessages.write(ChatMessage.assistant(text)));
    }
    List<Object> trajectory = new ArrayList<>(loop.steps.size());
    for (AgentStep step : loop.steps) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("iteration", step.iteration());
      m.put("tool", step.tool());
      m.put("callId", step.callId());
      m.put("arguments", step.arguments());
      m.put("result", step.result());
      m.put("error", step.error());
      trajectory.add(m);
    }
    s = s.with(trajectoryKey, trajectory);
    s = common.withUsage(s, () -> ModelCalls.usageMap(loop.usage, loop.calls));
    return NodeResult.of(NodeCommon.post(postProcess, s, resp));
  }

  /**
   * The messages of this turn that did not come from history: rendered templates (system ones only
   * when the history is empty, so a conversation keeps one system prompt), then every tool request
   * and result. The forced-answer nudge is left out.
   */
  private List<ChatMessage> transcriptOf(Loop loop, boolean historyEmpty) {
    List<ChatMessage> out = new ArrayList<>();
    int i = 0;
    for (PromptSpec.Entry e : common.prompt().entries()) {
      if (e instanceof PromptSpec.TemplateEntry t) {
        ChatMessage m = loop.conversation.get(i++);
        if (t.role() != ChatMessage.Role.SYSTEM || historyEmpty) {
          out.add(m);
        }
      } else {
        i +=
            StateMessages.read(
                    loop.state.get(((PromptSpec.HistoryEntry) e).key()),
                    ((PromptSpec.HistoryEntry) e).key(),
                    loop.ctx.node())
                .size();
      }
    }
    for (; i < loop.conversation.size(); i++) {
      ChatMessage m = loop.conversation.get(i);
      if (!(m.role() == ChatMessage.Role.USER && FORCE_ANSWER_PROMPT.equals(m.text()))) {
        out.add(m);
      }
    }
    return out;
  }

  private boolean historyEmpty(State state) {
    for (String key : common.prompt().historyKeys()) {
      Object v = state.get(key);
      if (v instanceof List<?> l && !l.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String kind() {
    return "agent";
  }

  @Override
  public String fingerprint() {
    StringBuilder sb = new StringBuilder("agent\n");
    sb.append("provider ").append(client.provider()).append('\n');
    sb.append("model ").append(model).append('\n');
    common.fingerprint(sb);
    for (Tool t : tools.tools()) {
      sb.append("tool ")
          .append(t.name())
          .append(' ')
          .append(NodeJson.write(t.description()))
          .append(' ')
          .append(NodeJson.canonical(t.parameters()))
          .append('\n');
    }
    sb.append("maxIterations ").append(maxIterations).append(' ').append(onMaxIterations);
    sb.append(" toolErrors ").append(toolErrors).append('\n');
    sb.append("output ").append(outputKey).append(" answer ").append(appendAnswer);
    sb.append(" transcript ").append(appendTranscript).append(" trajectory ").append(trajectoryKey);
    return common.fingerprintEnd(sb.append(' '), postProcess != null);
  }

  @Override
  public Optional<Set<String>> reads() {
    return common.reads();
  }

  @Override
  public Optional<Set<String>> writes() {
    List<String> w = new ArrayList<>();
    w.add(trajectoryKey);
    if (outputKey != null) {
      w.add(outputKey);
    }
    if (appendAnswer || appendTranscript) {
      w.add(State.MESSAGES);
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

  @Override
  public String toString() {
    return "AgentNode[" + client.provider() + ", tools=" + tools.names() + "]";
  }

  /**
   * Builds an {@link AgentNode}. Needs a client, a prompt, at least one tool, and an output ({@link
   * #output(String)}, {@link #appendMessage()}, {@link #appendTranscript()} or a post-processor).
   * Not thread-safe.
   */
  public static final class Builder extends PromptBuilder<Builder> {
    private ModelClient client;
    private String model;
    private ToolRegistry tools = ToolRegistry.empty();
    private int maxIterations = 10;
    private MaxIterations onMaxIterations = MaxIterations.FAIL;
    private ToolErrors toolErrors = ToolErrors.REPORT_TO_MODEL;
    private String outputKey;
    private boolean appendAnswer;
    private boolean appendTranscript;
    private String trajectoryKey = "trajectory";
    private BiFunction<State, ChatResponse, State> postProcess;

    private Builder() {}

    /** The model client to call (required). */
    public Builder client(ModelClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** The model name sent with each request; unset means the client's default. */
    public Builder model(String model) {
      this.model = NodeCommon.model(model);
      return this;
    }

    /**
     * Adds tools.
     *
     * @throws ConfigurationException when a name is already registered
     */
    public Builder tools(Tool... tools) {
      for (Tool t : tools) {
        this.tools = this.tools.with(t);
      }
      return this;
    }

    /** Adds every tool of {@code registry}. */
    public Builder tools(ToolRegistry registry) {
      return tools(registry.tools().toArray(Tool[]::new));
    }

    /**
     * Most model calls per record (default 10, at least 1). When the last allowed call still asks
     * for tools, {@link #onMaxIterations(MaxIterations)} decides what happens.
     */
    public Builder maxIterations(int maxIterations) {
      ConfigurationException.check(
          maxIterations >= 1, "maxIterations", "must be >= 1, was " + maxIterations);
      this.maxIterations = maxIterations;
      return this;
    }

    /** What to do at the iteration limit (default {@link MaxIterations#FAIL}). */
    public Builder onMaxIterations(MaxIterations policy) {
      this.onMaxIterations = Objects.requireNonNull(policy, "onMaxIterations");
      return this;
    }

    /** How tool failures are handled (default {@link ToolErrors#REPORT_TO_MODEL}). */
    public Builder toolErrors(ToolErrors policy) {
      this.toolErrors = Objects.requireNonNull(policy, "toolErrors");
      return this;
    }

    /** Writes the final answer text to {@code key}. */
    public Builder output(String key) {
      this.outputKey =
          NodeCommon.outputKey(
              key, "use appendMessage() or appendTranscript() to add to 'messages'");
      return this;
    }

    /** Appends the final answer to {@code messages} as an assistant message. */
    public Builder appendMessage() {
      this.appendAnswer = true;
      return this;
    }

    /**
     * Appends the whole turn to {@code messages}: the rendered prompt messages (system messages
     * only when the history is empty), each assistant tool request, each tool result, and the final
     * answer, in OpenAI chat format. Suits generating tool-use training conversations.
     */
    public Builder appendTranscript() {
      this.appendTranscript = true;
      return this;
    }

    /** The state key of the trajectory (default {@code trajectory}); see {@link AgentStep}. */
    public Builder trajectory(String key) {
      ConfigurationException.check(
          key != null && !key.isBlank() && !State.MESSAGES.equals(key),
          "trajectory",
          "key must be non-blank and not 'messages', was '" + key + "'");
      this.trajectoryKey = key;
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
     * @throws ConfigurationException when the client, prompt, tools or every output is missing
     */
    public AgentNode build() {
      ConfigurationException.check(client != null, "client", "an agent node needs client(...)");
      ConfigurationException.check(
          !tools.isEmpty(),
          "tools",
          "an agent node needs at least one tool; use LlmNode otherwise");
      ConfigurationException.check(
          outputKey != null || appendAnswer || appendTranscript || postProcess != null,
          "output",
          "an agent node needs output(key), appendMessage(), appendTranscript() or"
              + " postProcess(...)");
      return new AgentNode(this);
    }
  }
}
