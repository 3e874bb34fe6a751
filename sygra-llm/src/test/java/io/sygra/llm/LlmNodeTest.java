package io.sygra.llm;

import static io.sygra.llm.NodeTestContext.failure;
import static io.sygra.llm.NodeTestContext.next;
import static io.sygra.llm.NodeTestContext.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Graph;
import io.sygra.core.GraphValidationException;
import io.sygra.core.Key;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.StateException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LlmNodeTest {

  record Verdict(@Min(1) @Max(10) int score, String reason) {}

  private static final State QUESTION =
      State.of("r1", Map.of("question", "Why is the sky blue?", "topic", "physics"));

  @Test
  void rendersPromptCallsModelAndWritesText() throws Exception {
    ScriptedClient client = new ScriptedClient().reply("Rayleigh scattering.");
    LlmNode node =
        LlmNode.builder()
            .client(client)
            .model("gpt-test")
            .system("You teach {topic}.")
            .user("Q: {question}")
            .temperature(0.2)
            .maxTokens(64)
            .seed(7)
            .parameter("top_k", 40)
            .output("answer")
            .build();

    State out = next(run(node, QUESTION, "answer"));

    assertThat(out.getString("answer")).isEqualTo("Rayleigh scattering.");
    assertThat(out.getString("question")).isEqualTo("Why is the sky blue?");
    ChatRequest sent = client.lastRequest();
    assertThat(sent.model()).isEqualTo("gpt-test");
    assertThat(sent.messages())
        .containsExactly(
            ChatMessage.system("You teach physics."), ChatMessage.user("Q: Why is the sky blue?"));
    assertThat(sent.temperature()).isEqualTo(0.2);
    assertThat(sent.maxTokens()).isEqualTo(64);
    assertThat(sent.seed()).isEqualTo(7L);
    assertThat(sent.extraBody()).containsEntry("top_k", 40);
    assertThat(sent.responseFormat()).isNull();
    assertThat(CallContext.of(sent)).isEqualTo(CallContext.forNode("answer"));
  }

  @Test
  void appendsReplyToMessagesAndReadsHistory() throws Exception {
    ScriptedClient client = new ScriptedClient().reply("Fine, thanks.").reply("Bye!");
    LlmNode node =
        LlmNode.builder()
            .client(client)
            .system("Be brief.")
            .history("messages")
            .appendMessage()
            .build();
    State s = State.empty().withMessage("user", "How are you?");

    State once = next(run(node, s, "chat"));
    State twice = next(run(node, once.withMessage("user", "Goodbye."), "chat"));

    assertThat(twice.messages())
        .extracting(m -> m.get("role") + ":" + m.get("content"))
        .containsExactly(
            "user:How are you?", "assistant:Fine, thanks.", "user:Goodbye.", "assistant:Bye!");
    assertThat(client.lastRequest().messages())
        .extracting(m -> m.role().wireName() + ":" + m.text())
        .containsExactly(
            "system:Be brief.", "user:How are you?", "assistant:Fine, thanks.", "user:Goodbye.");
  }

  @Test
  void appendsWithAnotherRole() throws Exception {
    LlmNode node =
        LlmNode.builder()
            .client(new ScriptedClient().reply("What about clouds?"))
            .user("Play a curious student asking about {topic}.")
            .appendMessage(ChatMessage.Role.USER)
            .build();
    State out = next(run(node, QUESTION, "student"));
    assertThat(out.messages())
        .containsExactly(Map.of("role", "user", "content", "What about clouds?"));
  }

  @Test
  void missingHistoryKeyOtherThanMessagesIsAnError() throws Exception {
    LlmNode node =
        LlmNode.builder().client(new ScriptedClient()).history("dialogue").output("o").build();
    assertThat(failure(node, QUESTION, "chat"))
        .isInstanceOf(StateException.class)
        .hasMessageContaining("node 'chat'")
        .hasMessageContaining("dialogue");
  }

  @Test
  void missingTemplateVariableFailsTheRecordBeforeAnyCall() throws Exception {
    ScriptedClient client = new ScriptedClient().reply("unused");
    LlmNode node =
        LlmNode.builder().client(client).user("{context}\n{question}").output("a").build();

    Throwable t = failure(node, QUESTION, "answer");

    assertThat(t)
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("node 'answer'")
        .hasMessageContaining("record 'r1'")
        .hasMessageContaining("'context' is missing");
    assertThat(client.requests()).isEmpty();
  }

  @Test
  void structuredOutputSpreadsPropertiesIntoTypedStateKeys() throws Exception {
    ScriptedClient client =
        new ScriptedClient().reply("```json\n{\"score\": 9, \"reason\": \"accurate\"}\n```");
    LlmNode node =
        LlmNode.builder()
            .client(client)
            .user("Grade: {question}")
            .structuredOutput(Verdict.class)
            .output("raw")
            .build();

    State out = next(run(node, QUESTION, "judge"));

    assertThat(out.get(Key.integer("score"))).isEqualTo(9);
    assertThat(out.get(Key.string("reason"))).isEqualTo("accurate");
    assertThat(out.getString("raw")).startsWith("```json");
    ResponseFormat.JsonSchema rf =
        (ResponseFormat.JsonSchema) client.lastRequest().responseFormat();
    assertThat(rf.name()).isEqualTo("Verdict");
    assertThat(rf.strict()).isTrue();
    assertThat(node.writes()).contains(Set.of("score", "reason", "raw"));
  }

  @Test
  void structuredOutputIntoOneTypedKey() throws Exception {
    Key<Verdict> verdict = Key.of("verdict", Verdict.class);
    LlmNode node =
        LlmNode.builder()
            .client(new ScriptedClient().reply("{\"score\": 4, \"reason\": \"vague\"}"))
            .user("Grade: {question}")
            .structuredOutput(verdict)
            .build();

    State out = next(run(node, QUESTION, "judge"));

    assertThat(out.require(verdict)).isEqualTo(new Verdict(4, "vague"));
    assertThat(node.writes()).contains(Set.of("verdict"));
  }

  @Test
  void withoutNativeSupportFormatInstructionsAreAppendedToTheLastUserMessage() throws Exception {
    ScriptedClient client = new ScriptedClient().reply("{\"score\": 5, \"reason\": \"ok\"}");
    LlmNode node =
        LlmNode.builder()
            .client(client)
            .system("You grade.")
            .user("Grade: {question}")
            .structuredOutput(Verdict.class)
            .nativeStructuredOutput(false)
            .build();

    next(run(node, QUESTION, "judge"));

    ChatRequest sent = client.lastRequest();
    assertThat(sent.responseFormat()).isNull();
    assertThat(sent.messages()).hasSize(2);
    assertThat(sent.messages().get(1).text())
        .startsWith("Grade: Why is the sky blue?\n\nReply with a single JSON object")
        .contains("JSON schema for the reply:")
        .contains("\"reason\"");
  }

  @Test
  void reasksWithTheErrorUntilTheReplyIsValid() throws Exception {
    ScriptedClient client =
        new ScriptedClient()
            .reply("I think it deserves an 11.")
            .reply("{\"score\": 11, \"reason\": \"great\"}")
            .reply("{\"score\": 10, \"reason\": \"great\"}");
    LlmNode node =
        LlmNode.builder()
            .client(client)
            .user("Grade: {question}")
            .structuredOutput(Verdict.class)
            .maxParseAttempts(3)
            .recordUsage("usage")
            .build();

    State out = next(run(node, QUESTION, "judge"));

    assertThat(out.get(Key.integer("score"))).isEqualTo(10);
    assertThat(client.requests()).hasSize(3);
    List<ChatMessage> third = client.requests().get(2).messages();
    assertThat(third).hasSize(5);
    assertThat(third.get(1)).isEqualTo(ChatMessage.assistant("I think it deserves an 11."));
    assertThat(third.get(2).text())
        .startsWith("Your previous reply could not be used: no JSON object was found");
    assertThat(third.get(3))
        .isEqualTo(ChatMessage.assistant("{\"score\": 11, \"reason\": \"great\"}"));
    assertThat(third.get(4).text()).contains("$.score: 11 is greater than the maximum 10");
    assertThat(out.get("usage"))
        .isEqualTo(
            Map.of("promptTokens", 30L, "completionTokens", 15L, "totalTokens", 45L, "calls", 3));
    Map<String, Object> sections = new LinkedHashMap<>();
    node.contribute(sections);
    assertThat(sections).extractingByKey("nodes").asString().contains("reasks=2");
  }

  @Test
  void failsTheRecordWithTheRawTextAfterTheLastAttempt() throws Exception {
    ScriptedClient client = new ScriptedClient().reply("nope").reply("{\"score\": 0}");
    LlmNode node =
        LlmNode.builder()
            .client(client)
            .user("Grade: {question}")
            .structuredOutput(Verdict.class)
            .maxParseAttempts(2)
            .build();

    Throwable t = failure(node, QUESTION, "judge");

    assertThat(t)
        .isInstanceOfSatisfying(
            StructuredOutputException.class,
            e -> {
              assertThat(e.node()).isEqualTo("judge");
              assertThat(e.recordId()).isEqualTo("r1");
              assertThat(e.attempts()).isEqualTo(2);
              assertThat(e.rawText()).isEqualTo("{\"score\": 0}");
              assertThat(e.problems())
                  .contains(
                      "$: missing required property 'reason'",
                      "$.score: 0 is less than the minimum 1");
            })
        .hasMessageStartingWith("node 'judge' (record 'r1'): reply is not valid structured output")
        .hasMessageContaining("after 2 attempts");
    assertThat(client.requests()).hasSize(2);
  }

  @Test
  void modelFailurePropagatesUnchanged() throws Exception {
    ModelException boom = new ModelException("scripted", "m", 500, "id", "boom", true, null);
    LlmNode node =
        LlmNode.builder()
            .client(new ScriptedClient().fail(boom))
            .user("{question}")
            .output("a")
            .build();

    assertThat(failure(node, QUESTION, "answer")).isSameAs(boom);
    Map<String, Object> sections = new LinkedHashMap<>();
    node.contribute(sections);
    assertThat(sections.get("nodes").toString()).contains("answer").contains("failures=1");
  }

  @Test
  void replyWithoutTextIsAnError() throws Exception {
    ScriptedClient client =
        new ScriptedClient()
            .answer(
                r ->
                    new ChatResponse(
                        null, List.of(), "length", null, null, "m", null, null, "scripted"));
    LlmNode node = LlmNode.builder().client(client).user("{question}").output("a").build();
    assertThat(failure(node, QUESTION, "answer"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("the reply has no text (finish reason length)");
  }

  @Test
  void continuationRunsOnTheExecutorNotTheIoThread() throws Exception {
    AtomicReference<String> thread = new AtomicReference<>();
    LlmNode node =
        LlmNode.builder()
            .client(new ScriptedClient().reply("x"))
            .user("{question}")
            .output("a")
            .postProcess(
                (s, r) -> {
                  thread.set(Thread.currentThread().getName());
                  return s.with("len", r.textOrEmpty().length());
                })
            .writes("len")
            .build();

    State out = next(run(node, QUESTION, "answer"));

    assertThat(thread.get()).startsWith(NodeTestContext.CPU_PREFIX);
    assertThat(out.get("len")).isEqualTo(1);
    assertThat(node.writes()).contains(Set.of("a", "len"));
  }

  @Test
  void runReturnsAtOnceWhileTheCallIsInFlight() throws Exception {
    CompletableFuture<ChatResponse> pending = new CompletableFuture<>();
    ModelClient slow =
        new ModelClient() {
          @Override
          public CompletableFuture<ChatResponse> chat(ChatRequest request) {
            return pending;
          }

          @Override
          public String provider() {
            return "slow";
          }
        };
    LlmNode node = LlmNode.builder().client(slow).user("{question}").output("a").build();

    CompletionStage<io.sygra.core.NodeResult> stage =
        node.run(QUESTION, new NodeTestContext("answer", "r1"));

    assertThat(stage.toCompletableFuture()).isNotDone();
    pending.complete(
        new ChatResponse("late", List.of(), "stop", null, null, "m", null, null, "slow"));
    assertThat(next(stage.toCompletableFuture().get()).getString("a")).isEqualTo("late");
  }

  @Test
  void readsAndWritesLetTheGraphFlagAMissingVariable() {
    LlmNode answer =
        LlmNode.builder().client(new ScriptedClient()).user("{question}").output("answer").build();
    LlmNode judge =
        LlmNode.builder()
            .client(new ScriptedClient())
            .user("Q: {question} A: {answer} Context: {context}")
            .structuredOutput(Verdict.class)
            .build();

    assertThat(judge.reads()).contains(Set.of("question", "answer", "context"));
    assertThatThrownBy(
            () ->
                Graph.builder()
                    .inputs("question")
                    .node("answer", answer)
                    .node("judge", judge)
                    .chain(Graph.START, "answer", "judge", Graph.END)
                    .build())
        .isInstanceOf(GraphValidationException.class)
        .hasMessageContaining("node 'judge' reads 'context'");

    Graph ok =
        Graph.builder()
            .inputs("question", "context")
            .node("answer", answer)
            .node("judge", judge)
            .node(
                "keep", Nodes.withKeys(Nodes.filter(s -> true, "never"), Set.of("score"), Set.of()))
            .chain(Graph.START, "answer", "judge", "keep", Graph.END)
            .build();
    assertThat(ok.nodeNames()).containsExactly("answer", "judge", "keep");
  }

  @Test
  void postProcessorWithoutDeclaredWritesMakesWritesUnknown() {
    LlmNode node =
        LlmNode.builder()
            .client(new ScriptedClient())
            .user("{question}")
            .postProcess((s, r) -> s.with("anything", r.text()))
            .build();
    assertThat(node.writes()).isEqualTo(Optional.empty());
  }

  @Test
  void fingerprintTracksPromptModelAndParametersButNotTimeout() {
    LlmNode.Builder base =
        LlmNode.builder().client(new ScriptedClient()).model("m1").user("{question}").output("a");
    String fp = base.build().fingerprint();

    assertThat(base.timeout(java.time.Duration.ofSeconds(5)).build().fingerprint()).isEqualTo(fp);
    assertThat(base.temperature(0.5).build().fingerprint()).isNotEqualTo(fp);
    assertThat(
            LlmNode.builder()
                .client(new ScriptedClient())
                .model("m2")
                .user("{question}")
                .output("a")
                .build()
                .fingerprint())
        .isNotEqualTo(fp);
    assertThat(
            LlmNode.builder()
                .client(new ScriptedClient())
                .model("m1")
                .user("{question}!")
                .output("a")
                .build()
                .fingerprint())
        .isNotEqualTo(fp);
    assertThat(fp).contains("{question}").contains("m1").contains("scripted");
    assertThat(base.build().kind()).isEqualTo("llm");
  }

  @Test
  void builderValidatesAtOnce() {
    assertThatThrownBy(() -> LlmNode.builder().temperature(3))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("parameters.temperature")
        .hasMessageContaining("3.0");
    assertThatThrownBy(() -> LlmNode.builder().maxTokens(0))
        .hasMessageContaining("parameters.max_tokens");
    assertThatThrownBy(() -> LlmNode.builder().parameter("stop", 5))
        .hasMessageContaining("parameters.stop");
    assertThatThrownBy(() -> LlmNode.builder().user("{ bad"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("unclosed '{'");
    assertThatThrownBy(() -> LlmNode.builder().maxParseAttempts(0))
        .hasMessageContaining("maxParseAttempts: must be >= 1, was 0");
    assertThatThrownBy(() -> LlmNode.builder().output("messages"))
        .hasMessageContaining("appendMessage()");
    assertThatThrownBy(() -> LlmNode.builder().user("{q}").output("a").build())
        .hasMessageContaining("client");
    assertThatThrownBy(() -> LlmNode.builder().client(new ScriptedClient()).output("a").build())
        .hasMessageContaining("needs a prompt");
    assertThatThrownBy(() -> LlmNode.builder().client(new ScriptedClient()).user("{q}").build())
        .hasMessageContaining("needs output(key)");
    record Scalarish(String messages) {}
    assertThatThrownBy(() -> LlmNode.builder().structuredOutput(Scalarish.class))
        .hasMessageContaining("property named 'messages'");
    assertThatThrownBy(() -> LlmNode.builder().structuredOutput(String.class))
        .hasMessageContaining("no top-level properties");
  }

  @Test
  void standsForItsClientInTheReport() {
    SimulatedModelClient sim = SimulatedModelClient.create();
    LlmNode node = LlmNode.builder().client(sim).user("{question}").output("a").build();
    assertThat(node.children()).containsExactly(sim);
    assertThat(node.children().get(0).notices()).containsExactly(SimulatedModelClient.NOTICE);
    assertThat(
            LlmNode.builder().client(new ScriptedClient()).user("x").output("a").build().children())
        .isEmpty();
  }

  @Test
  void reportsPerNodeCountersUnderNodes() throws Exception {
    LlmNode node =
        LlmNode.builder()
            .client(new ScriptedClient().reply("a").reply("b"))
            .user("{question}")
            .output("a")
            .build();
    run(node, QUESTION, "answer");
    run(node, QUESTION, "answer");
    Map<String, Object> sections = new LinkedHashMap<>();
    sections.put("nodes", Map.of("other", Map.of("kind", "lambda")));

    node.contribute(sections);

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> nodes =
        (Map<String, Map<String, Object>>) sections.get("nodes");
    assertThat(nodes).containsKeys("other", "answer");
    Map<String, Object> a = nodes.get("answer");
    assertThat(a)
        .containsEntry("kind", "llm")
        .containsEntry("requests", 2L)
        .containsEntry("failures", 0L)
        .containsEntry("promptTokens", 20L)
        .containsEntry("completionTokens", 10L);
    assertThat(a.get("latencyMs")).asString().contains("p50").contains("p95").contains("p99");
  }
}
