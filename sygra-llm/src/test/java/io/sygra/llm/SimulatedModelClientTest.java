package io.sygra.llm;

import static io.sygra.llm.NodeTestContext.next;
import static io.sygra.llm.NodeTestContext.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.sygra.core.Key;
import io.sygra.core.State;
import io.sygra.llm.internal.LenientJson;
import io.sygra.llm.internal.TextSynth;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulatedModelClientTest {

  enum Difficulty {
    EASY,
    MEDIUM,
    HARD
  }

  record Verdict(@Min(1) @Max(10) int score, String reason, Difficulty difficulty) {}

  record Citation(String title, @Min(1) @Max(999) int page) {}

  record Report(
      @NotBlank @Size(max = 40) String title,
      @Size(min = 2, max = 4) List<Citation> citations,
      Set<Difficulty> levels,
      @DecimalMin("0.0") @DecimalMax("1.0") double confidence,
      boolean safe,
      @Nullable String note,
      Map<String, Integer> counts,
      LocalDate published,
      List<List<String>> grid) {}

  record Tree(String label, List<Tree> children) {}

  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @interface Nullable {}

  private static final Encoding CL100K =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

  private static ChatRequest ask(String text) {
    return ChatRequest.builder().addMessage(ChatMessage.user(text)).build();
  }

  @Test
  void sameSeedAndRequestGiveTheSameReply() {
    ChatRequest r = ask("Explain photosynthesis in plants and the role of sunlight.");
    ChatResponse a = SimulatedModelClient.builder().seed(42).build().chatBlocking(r);
    ChatResponse b = SimulatedModelClient.builder().seed(42).build().chatBlocking(r);
    ChatResponse c = SimulatedModelClient.builder().seed(43).build().chatBlocking(r);

    assertThat(a.text()).isEqualTo(b.text());
    assertThat(a.requestId()).isEqualTo(b.requestId());
    assertThat(c.text()).isNotEqualTo(a.text());
    assertThat(a.text()).contains("photosynthesis").endsWith(".");
    assertThat(a.provider()).isEqualTo("simulated");
    assertThat(a.model()).isEqualTo("simulated-model");
    assertThat(a.finishReason()).isEqualTo("stop");
  }

  @Test
  void aRequestForAQuestionGetsAQuestionAboutThePromptTopic() {
    String q =
        SimulatedModelClient.create()
            .chatBlocking(
                ChatRequest.builder()
                    .addMessage(ChatMessage.system("You write one clear exam question."))
                    .addMessage(ChatMessage.user("Write a question about photosynthesis."))
                    .build())
            .text();
    assertThat(q).contains("photosynthesis").endsWith("?").doesNotContain("exam");
  }

  @Test
  void repliesFedBackAsPromptsStayOnTopic() {
    SimulatedModelClient sim = SimulatedModelClient.create();
    String first = sim.chatBlocking(ask("Tell me about glaciers and erosion.")).text();
    String second = sim.chatBlocking(ask(first)).text();
    // The simulator's own template words are not taken for topics.
    assertThat(TextSynth.topicWords(second, 20)).containsOnly("glaciers", "erosion");
  }

  @Test
  void differentPromptsGiveDifferentReplies() {
    SimulatedModelClient sim = SimulatedModelClient.create();
    assertThat(sim.chatBlocking(ask("Describe volcanoes.")).text())
        .isNotEqualTo(sim.chatBlocking(ask("Describe glaciers.")).text());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 8, 32, 200})
  void lengthFollowsMaxTokensAndNeverExceedsIt(int maxTokens) {
    ChatRequest r =
        ask("Write about ocean currents and climate.").newBuilder().maxTokens(maxTokens).build();
    ChatResponse resp = SimulatedModelClient.create().chatBlocking(r);

    int tokens = CL100K.countTokensOrdinary(resp.text());
    assertThat(tokens).isBetween(1, maxTokens);
    assertThat(resp.usage().completionTokens()).isEqualTo(tokens);
    if (maxTokens >= 32) {
      assertThat(resp.text().split(" ").length).isGreaterThanOrEqualTo(maxTokens / 3);
    }
  }

  @Test
  void usageIsCountedWithTheTokenizer() {
    ChatResponse r = SimulatedModelClient.create().chatBlocking(ask("Hello there, how are you?"));
    // 3 priming + 3 per message + 7 content tokens
    assertThat(r.usage().promptTokens()).isEqualTo(13);
    assertThat(r.usage().totalTokens())
        .isEqualTo(r.usage().promptTokens() + r.usage().completionTokens());
  }

  @Test
  void stopSequencesCutTheReply() {
    ChatRequest r = ask("Discuss rivers and erosion.");
    String full = SimulatedModelClient.create().chatBlocking(r).text();
    String word = full.split(" ")[3];
    String cut =
        SimulatedModelClient.create()
            .chatBlocking(r.newBuilder().stop(List.of(word)).build())
            .text();
    assertThat(cut).doesNotContain(word).isNotEmpty();
  }

  @SuppressWarnings("unchecked")
  private static void assertConforms(Class<?> type, long seed) {
    StructuredOutput<?> spec = StructuredOutput.of(type);
    SimulatedModelClient sim = SimulatedModelClient.builder().seed(seed).build();
    ChatRequest r =
        ask("Produce data about medieval castles and their architecture.")
            .newBuilder()
            .responseFormat(spec.responseFormat())
            .build();
    String text = sim.chatBlocking(r).text();
    Object json;
    try {
      json = LenientJson.read(text, LenientJson.Root.ANY);
    } catch (LenientJson.Problem p) {
      throw new AssertionError(p.getMessage() + ": " + text);
    }
    assertThat(JsonSchemas.validate(spec.schema(), json)).as("seed %d: %s", seed, text).isEmpty();
    assertThat(spec.parse(text)).isNotNull(); // converts to the record too
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15})
  void structuredRepliesSatisfyTheSchema(long seed) {
    assertConforms(Verdict.class, seed);
    assertConforms(Report.class, seed);
    assertConforms(Tree.class, seed);
  }

  @Test
  void formatInstructionsWithoutNativeSupportAreAnsweredWithConformingJson() throws Exception {
    SimulatedModelClient sim = SimulatedModelClient.builder().seed(3).build();
    LlmNode node =
        LlmNode.builder()
            .client(sim)
            .user("Grade this answer: {answer}")
            .structuredOutput(Verdict.class)
            .nativeStructuredOutput(false)
            .build();

    State out = next(run(node, State.of(Map.of("answer", "Paris is in France.")), "judge"));

    assertThat(out.get(Key.integer("score"))).isBetween(1, 10);
    assertThat(out.getString("difficulty")).isIn("EASY", "MEDIUM", "HARD");
  }

  @Test
  void scriptedRespondersComeFirst() {
    SimulatedModelClient sim =
        SimulatedModelClient.builder()
            .respondWhenPromptContains("[JUDGE]", r -> "{\"score\": 7}")
            .responder(r -> r.messages().size() > 1, r -> "multi")
            .build();

    assertThat(sim.chatBlocking(ask("[JUDGE] rate this")).text()).isEqualTo("{\"score\": 7}");
    assertThat(
            sim.chatBlocking(
                    ChatRequest.builder()
                        .addMessage(ChatMessage.system("s"))
                        .addMessage(ChatMessage.user("u"))
                        .build())
                .text())
        .isEqualTo("multi");
    assertThat(sim.chatBlocking(ask("plain")).text()).isNotEqualTo("multi");
    Map<String, Object> sections = new LinkedHashMap<>();
    sim.contribute(sections);
    assertThat(sections.get(SimulatedModelClient.SECTION))
        .asString()
        .contains("requests=3")
        .contains("scriptedReplies=2");
  }

  record Lookup(String city, @Min(1) @Max(7) int days) {}

  @Test
  void callsAToolWithConformingArgumentsThenAnswersFromTheResult() throws Exception {
    List<Lookup> seen = new ArrayList<>();
    Tool forecast =
        Tool.of(
            "forecast",
            "Weather forecast for a city",
            Lookup.class,
            a -> {
              synchronized (seen) {
                seen.add(a);
              }
              return "Sunny for " + a.days() + " days";
            });
    Tool stocks =
        Tool.of(
            "stock_price", "Latest stock price for a ticker", Map.of("type", "object"), m -> "1");
    AgentNode agent =
        AgentNode.builder()
            .client(SimulatedModelClient.builder().seed(5).build())
            .user("What is the weather forecast for {city}?")
            .tools(stocks, forecast)
            .output("answer")
            .build();

    State out = next(run(agent, State.of(Map.of("city", "Lisbon")), "agent"));

    List<AgentStep> steps = out.require(Key.listOf("trajectory", AgentStep.class));
    assertThat(steps).hasSize(1);
    assertThat(steps.get(0).tool()).isEqualTo("forecast");
    assertThat(steps.get(0).error()).isFalse();
    assertThat(seen.get(0).days()).isBetween(1, 7);
    assertThat(out.getString("answer")).startsWith("According to forecast: Sunny for");
  }

  @Test
  void noToolCallWhenToolChoiceIsNoneOrAfterAResult() {
    ToolDefinition t = new ToolDefinition("lookup", "Looks up", Map.of("type", "object"), false);
    SimulatedModelClient sim = SimulatedModelClient.create();
    ChatRequest base = ask("Find the capital of Peru").newBuilder().tools(List.of(t)).build();

    ChatResponse call = sim.chatBlocking(base);
    assertThat(call.toolCalls()).hasSize(1);
    assertThat(call.finishReason()).isEqualTo("tool_calls");
    assertThat(call.text()).isNull();
    assertThat(sim.chatBlocking(base.newBuilder().toolChoice("none").build()).toolCalls())
        .isEmpty();
    ChatRequest after =
        base.newBuilder()
            .addMessage(ChatMessage.assistant(null, call.toolCalls()))
            .addMessage(ChatMessage.tool(call.toolCalls().get(0).id(), "lookup", "Lima"))
            .build();
    ChatResponse answer = sim.chatBlocking(after);
    assertThat(answer.toolCalls()).isEmpty();
    assertThat(answer.text()).startsWith("According to lookup: Lima.");
  }

  @Test
  void latencyIsScheduledNeverSlept() throws Exception {
    List<Long> delays = new ArrayList<>();
    List<Runnable> tasks = new ArrayList<>();
    ScheduledThreadPoolExecutor recorder =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            tasks.add(command);
            return new NoopScheduled();
          }
        };
    try {
      SimulatedModelClient sim =
          SimulatedModelClient.builder()
              .latency(Duration.ofMillis(100), Duration.ofMillis(300))
              .scheduler(recorder)
              .build();

      CompletableFuture<ChatResponse> f = sim.chat(ask("Tell me about bridges."));

      assertThat(f).isNotDone();
      assertThat(delays).hasSize(1);
      assertThat(delays.get(0)).isBetween(100L, 300L);
      tasks.get(0).run();
      assertThat(f).isDone();
      assertThat(f.get().latency().toMillis()).isEqualTo(delays.get(0));
      sim.close();
      assertThat(recorder.isShutdown()).isFalse(); // a scheduler it does not own is left alone
    } finally {
      recorder.shutdownNow();
    }
  }

  @Test
  void announcesThatOutputIsSimulated() {
    SimulatedModelClient sim = SimulatedModelClient.create();
    assertThat(sim.notices()).containsExactly(SimulatedModelClient.NOTICE);
    assertThat(SimulatedModelClient.NOTICE).startsWith("SIMULATED MODEL: offline, deterministic");
    assertThat(sim.provider()).isEqualTo("simulated");
  }

  private static final class NoopScheduled implements ScheduledFuture<Object> {
    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed o) {
      return 0;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return false;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }
}
