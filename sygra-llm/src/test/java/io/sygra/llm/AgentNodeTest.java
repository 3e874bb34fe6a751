package io.sygra.llm;

import static io.sygra.llm.NodeTestContext.failure;
import static io.sygra.llm.NodeTestContext.next;
import static io.sygra.llm.NodeTestContext.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.Key;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class AgentNodeTest {

  record CityArgs(String city) {}

  record SumArgs(int a, int b) {}

  private final Set<String> toolThreads = ConcurrentHashMap.newKeySet();

  private final Tool weather =
      Tool.of(
          "weather",
          "Current weather for a city",
          CityArgs.class,
          a -> {
            toolThreads.add(Thread.currentThread().getName());
            if (a.city().equals("Atlantis")) {
              throw new IllegalStateException("no station in " + a.city());
            }
            return "18C and cloudy in " + a.city();
          });

  private final Tool add =
      Tool.of("add", "Adds two integers", SumArgs.class, a -> Map.of("sum", a.a() + a.b()));

  private static final State Q = State.of("r9", Map.of("question", "Weather in Oslo?"));

  @Test
  void runsToolsAndRecordsTheTrajectory() throws Exception {
    ScriptedClient client =
        new ScriptedClient()
            .toolCalls(new ToolCall("c1", "weather", "{\"city\": \"Oslo\"}"))
            .toolCalls(
                new ToolCall("c2", "add", "{\"a\": 2, \"b\": 3}"),
                new ToolCall("", "weather", "{\"city\": \"Bergen\"}"))
            .reply("Oslo: 18C and cloudy.");
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .system("Use tools.")
            .user("{question}")
            .tools(weather, add)
            .output("answer")
            .recordUsage("usage")
            .build();

    State out = next(run(node, Q, "agent"));

    assertThat(out.getString("answer")).isEqualTo("Oslo: 18C and cloudy.");
    List<AgentStep> steps = out.require(Key.listOf("trajectory", AgentStep.class));
    assertThat(steps)
        .containsExactly(
            new AgentStep(
                1, "weather", "c1", Map.of("city", "Oslo"), "18C and cloudy in Oslo", false),
            new AgentStep(2, "add", "c2", Map.of("a", 2, "b", 3), "{\"sum\":5}", false),
            new AgentStep(
                2,
                "weather",
                "call_2_2",
                Map.of("city", "Bergen"),
                "18C and cloudy in Bergen",
                false));
    assertThat(toolThreads).allMatch(n -> n.startsWith(NodeTestContext.CPU_PREFIX));

    // The model saw its own tool calls and every result, in order, with matching ids.
    List<ChatMessage> last = client.lastRequest().messages();
    assertThat(last)
        .extracting(m -> m.role().wireName())
        .containsExactly("system", "user", "assistant", "tool", "assistant", "tool", "tool");
    assertThat(last.get(4).toolCalls()).extracting(ToolCall::id).containsExactly("c2", "call_2_2");
    assertThat(last.get(6).toolCallId()).isEqualTo("call_2_2");
    assertThat(last.get(6).text()).isEqualTo("18C and cloudy in Bergen");
    assertThat(client.lastRequest().tools())
        .extracting(ToolDefinition::name)
        .containsExactly("weather", "add");
    assertThat(out.get("usage"))
        .isEqualTo(
            Map.of("promptTokens", 30L, "completionTokens", 15L, "totalTokens", 45L, "calls", 3));
  }

  @Test
  void toolErrorsAreShownToTheModelAndMarked() throws Exception {
    ScriptedClient client =
        new ScriptedClient()
            .toolCalls(
                new ToolCall("a", "weather", "{\"city\": \"Atlantis\"}"),
                new ToolCall("b", "weather", "{\"town\": \"Oslo\"}"),
                new ToolCall("c", "search", "{}"),
                new ToolCall("d", "weather", "not json"))
            .reply("Sorry, I could not find it.");
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .user("{question}")
            .tools(weather)
            .output("answer")
            .build();

    State out = next(run(node, Q, "agent"));

    List<AgentStep> steps = out.require(Key.listOf("trajectory", AgentStep.class));
    assertThat(steps).allMatch(AgentStep::error);
    assertThat(steps.get(0).result()).isEqualTo("error: failed: no station in Atlantis");
    assertThat(steps.get(1).result())
        .startsWith("error: invalid arguments:")
        .contains("missing required property 'city'");
    assertThat(steps.get(2).result()).isEqualTo("error: no such tool; available tools: [weather]");
    assertThat(steps.get(3).arguments()).isEqualTo("not json");
    assertThat(client.lastRequest().messages().get(2).text()).startsWith("error: failed:");
  }

  @Test
  void toolErrorsCanFailTheRecord() throws Exception {
    ScriptedClient client =
        new ScriptedClient().toolCalls(new ToolCall("a", "weather", "{\"city\": \"Atlantis\"}"));
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .user("{question}")
            .tools(weather)
            .toolErrors(AgentNode.ToolErrors.FAIL)
            .output("answer")
            .build();

    assertThat(failure(node, Q, "agent"))
        .isInstanceOfSatisfying(
            ToolException.class,
            e -> {
              assertThat(e.node()).isEqualTo("agent");
              assertThat(e.kind()).isEqualTo(ToolException.Kind.EXECUTION);
              assertThat(e.getCause()).isInstanceOf(IllegalStateException.class);
            })
        .hasMessage("node 'agent': tool 'weather': failed: no station in Atlantis");
  }

  private static ScriptedClient endlessToolCalls(int n) {
    ScriptedClient c = new ScriptedClient();
    for (int i = 0; i < n; i++) {
      c.toolCalls(new ToolCall("c" + i, "weather", "{\"city\": \"Oslo\"}"));
    }
    return c;
  }

  @Test
  void failsAtTheIterationLimitByDefault() throws Exception {
    ScriptedClient client = endlessToolCalls(10);
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .user("{question}")
            .tools(weather)
            .maxIterations(3)
            .output("answer")
            .build();

    assertThat(failure(node, Q, "agent"))
        .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.iterations()).isEqualTo(3))
        .hasMessageContaining("node 'agent' (record 'r9')")
        .hasMessageContaining("still calling tools after 3 calls (maxIterations 3)");
    assertThat(client.requests()).hasSize(3);
  }

  @Test
  void canDropAtTheIterationLimit() throws Exception {
    AgentNode node =
        AgentNode.builder()
            .client(endlessToolCalls(10))
            .user("{question}")
            .tools(weather)
            .maxIterations(2)
            .onMaxIterations(AgentNode.MaxIterations.DROP)
            .output("answer")
            .build();

    NodeResult r = run(node, Q, "agent");

    assertThat(r)
        .isInstanceOfSatisfying(
            NodeResult.Drop.class, d -> assertThat(d.reason()).contains("maxIterations 2"));
  }

  @Test
  void canForceAFinalAnswerWithToolsOff() throws Exception {
    ScriptedClient client = endlessToolCalls(2).reply("Best guess: cloudy.");
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .user("{question}")
            .tools(weather)
            .maxIterations(2)
            .onMaxIterations(AgentNode.MaxIterations.FORCE_ANSWER)
            .output("answer")
            .appendTranscript()
            .build();

    State out = next(run(node, Q, "agent"));

    assertThat(out.getString("answer")).isEqualTo("Best guess: cloudy.");
    ChatRequest forced = client.lastRequest();
    assertThat(forced.toolChoice()).isEqualTo("none");
    assertThat(forced.messages().get(forced.messages().size() - 1).text())
        .isEqualTo(AgentNode.FORCE_ANSWER_PROMPT);
    // One completed tool round is recorded; the unanswered second request is not.
    assertThat(out.require(Key.listOf("trajectory", AgentStep.class))).hasSize(1);
    assertThat(out.messages())
        .extracting(m -> m.get("role"))
        .containsExactly("user", "assistant", "tool", "assistant");
  }

  @Test
  void transcriptIsOpenAiChatFormat() throws Exception {
    ScriptedClient client =
        new ScriptedClient()
            .toolCalls(new ToolCall("c1", "weather", "{\"city\":\"Oslo\"}"))
            .reply("It is 18C.");
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .system("Use tools.")
            .history("messages")
            .user("{question}")
            .tools(weather)
            .appendTranscript()
            .build();

    State first = next(run(node, Q, "agent"));

    List<Map<String, Object>> msgs = first.messages();
    assertThat(msgs).hasSize(5);
    assertThat(msgs.get(0)).isEqualTo(Map.of("role", "system", "content", "Use tools."));
    assertThat(msgs.get(1)).isEqualTo(Map.of("role", "user", "content", "Weather in Oslo?"));
    assertThat(msgs.get(2)).containsEntry("role", "assistant").containsEntry("content", null);
    assertThat(msgs.get(2).get("tool_calls"))
        .isEqualTo(
            List.of(
                Map.of(
                    "id", "c1",
                    "type", "function",
                    "function", Map.of("name", "weather", "arguments", "{\"city\":\"Oslo\"}"))));
    assertThat(msgs.get(3))
        .isEqualTo(
            Map.of(
                "role", "tool",
                "content", "18C and cloudy in Oslo",
                "name", "weather",
                "tool_call_id", "c1"));
    assertThat(msgs.get(4)).isEqualTo(Map.of("role", "assistant", "content", "It is 18C."));
  }

  @Test
  void secondTurnDoesNotRepeatTheSystemPrompt() throws Exception {
    ScriptedClient client = new ScriptedClient().reply("Hi.").reply("Still hi.");
    Tool noop = Tool.of("noop", "Does nothing", Map.of("type", "object"), m -> "ok");
    AgentNode node =
        AgentNode.builder()
            .client(client)
            .system("Be kind.")
            .history("messages")
            .user("{question}")
            .tools(noop)
            .appendTranscript()
            .build();

    State first = next(run(node, Q, "agent"));
    State second = next(run(node, first, "agent"));

    assertThat(second.messages())
        .extracting(m -> m.get("role"))
        .containsExactly("system", "user", "assistant", "user", "assistant");
  }

  @Test
  void builderValidates() {
    assertThatThrownBy(
            () -> AgentNode.builder().client(new ScriptedClient()).user("x").output("a").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("at least one tool");
    assertThatThrownBy(() -> AgentNode.builder().maxIterations(0))
        .hasMessageContaining("maxIterations: must be >= 1, was 0");
    assertThatThrownBy(() -> AgentNode.builder().tools(weather, weather))
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> AgentNode.builder().trajectory("messages"))
        .hasMessageContaining("trajectory");
  }

  @Test
  void declaresReadsWritesAndFingerprint() {
    AgentNode node =
        AgentNode.builder()
            .client(new ScriptedClient())
            .user("{question}")
            .tools(weather)
            .output("answer")
            .trajectory("steps")
            .build();
    assertThat(node.reads()).contains(Set.of("question"));
    assertThat(node.writes()).contains(Set.of("answer", "steps"));
    assertThat(node.kind()).isEqualTo("agent");
    assertThat(node.fingerprint()).contains("tool weather").contains("city");
  }
}
