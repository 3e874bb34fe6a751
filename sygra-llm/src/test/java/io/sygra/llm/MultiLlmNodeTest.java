package io.sygra.llm;

import static io.sygra.llm.NodeTestContext.failure;
import static io.sygra.llm.NodeTestContext.next;
import static io.sygra.llm.NodeTestContext.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.core.NodeResult;
import io.sygra.core.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class MultiLlmNodeTest {

  record Verdict(int score) {}

  private static final State Q = State.of("r2", Map.of("question", "What is 2+2?"));

  /** A client whose calls stay pending until the test completes them. */
  static final class PendingClient implements ModelClient {
    final List<CompletableFuture<ChatResponse>> calls = new ArrayList<>();
    final List<ChatRequest> requests = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<ChatResponse> chat(ChatRequest request) {
      CompletableFuture<ChatResponse> f = new CompletableFuture<>();
      calls.add(f);
      requests.add(request);
      return f;
    }

    @Override
    public String provider() {
      return "pending";
    }

    void reply(String text) {
      calls
          .get(0)
          .complete(
              new ChatResponse(text, List.of(), "stop", null, null, "m", null, null, "pending"));
    }
  }

  @Test
  void sendsTheSamePromptToEveryModelInParallel() throws Exception {
    PendingClient a = new PendingClient();
    PendingClient b = new PendingClient();
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("strong", a, "big-model")
            .model("weak", b, "small-model")
            .user("{question}")
            .output("answers")
            .build();

    CompletionStage<NodeResult> stage = node.run(Q, new NodeTestContext("candidates", "r2"));

    // Both calls are in flight before either has answered.
    assertThat(a.calls).hasSize(1);
    assertThat(b.calls).hasSize(1);
    assertThat(a.requests.get(0).messages()).isEqualTo(b.requests.get(0).messages());
    assertThat(a.requests.get(0).model()).isEqualTo("big-model");
    assertThat(b.requests.get(0).model()).isEqualTo("small-model");
    b.reply("five");
    assertThat(stage.toCompletableFuture()).isNotDone();
    a.reply("4");

    State out = next(stage.toCompletableFuture().get());
    assertThat(out.get("answers")).isEqualTo(Map.of("strong", "4", "weak", "five"));
    // Later templates can read one model's answer by path.
    assertThat(PromptTemplate.parse("{answers.weak}").render(out, "n")).isEqualTo("five");
  }

  @Test
  void oneFailureFailsTheRecordByDefault() throws Exception {
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("ok", new ScriptedClient().reply("4"))
            .model(
                "down",
                new ScriptedClient()
                    .fail(new ModelException("x", "m", 503, null, "busy", true, null)))
            .user("{question}")
            .output("answers")
            .build();

    assertThat(failure(node, Q, "candidates"))
        .hasMessageContaining("node 'candidates' (record 'r2'): model 'down' failed")
        .hasMessageContaining("HTTP 503")
        .hasCauseInstanceOf(ModelException.class);
  }

  @Test
  void failuresCanBeRecordedPerLabel() throws Exception {
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("ok", new ScriptedClient().reply("4"))
            .model(
                "down",
                new ScriptedClient()
                    .fail(new ModelException("x", "m", 503, null, "busy", true, null)))
            .user("{question}")
            .output("answers")
            .errors("answer_errors")
            .build();

    State out = next(run(node, Q, "candidates"));

    assertThat(out.get("answers")).isEqualTo(Map.of("ok", "4"));
    assertThat(out.get("answer_errors")).asString().contains("down").contains("HTTP 503");
    assertThat(node.writes()).contains(Set.of("answers", "answer_errors"));
  }

  @Test
  void stillFailsWhenEveryModelFails() throws Exception {
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("a", new ScriptedClient().fail(new IllegalStateException("a down")))
            .model("b", new ScriptedClient().fail(new IllegalStateException("b down")))
            .user("{question}")
            .output("answers")
            .errors("errs")
            .build();
    assertThat(failure(node, Q, "candidates")).hasMessageContaining("every model failed");
  }

  @Test
  void structuredOutputPerModel() throws Exception {
    ScriptedClient a = new ScriptedClient().reply("{\"score\": 3}");
    ScriptedClient b = new ScriptedClient().reply("oops").reply("{\"score\": 5}");
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("a", a)
            .model("b", b)
            .user("{question}")
            .structuredOutput(Verdict.class)
            .output("verdicts")
            .recordUsage("usage")
            .build();

    State out = next(run(node, Q, "judges"));

    assertThat(out.get("verdicts"))
        .isEqualTo(Map.of("a", Map.of("score", 3), "b", Map.of("score", 5)));
    assertThat(b.requests()).hasSize(2);
    assertThat(out.get("usage")).asString().contains("calls=2");
    assertThat(a.lastRequest().responseFormat()).isInstanceOf(ResponseFormat.JsonSchema.class);
  }

  @Test
  void postProcessorSeesResponsesByLabel() throws Exception {
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("a", new ScriptedClient().reply("x"))
            .model("b", new ScriptedClient().reply("yy"))
            .user("{question}")
            .output("answers")
            .postProcess(
                (s, rs) ->
                    s.with(
                        "longest",
                        rs.get("a").text().length() > rs.get("b").text().length() ? "a" : "b"))
            .writes("longest")
            .build();
    assertThat(next(run(node, Q, "n")).getString("longest")).isEqualTo("b");
  }

  @Test
  void builderValidates() {
    assertThatThrownBy(() -> MultiLlmNode.builder().model("a.b", new ScriptedClient()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("model.label");
    assertThatThrownBy(
            () ->
                MultiLlmNode.builder()
                    .model("a", new ScriptedClient())
                    .model("a", new ScriptedClient()))
        .hasMessageContaining("duplicate label 'a'");
    assertThatThrownBy(() -> MultiLlmNode.builder().user("x").output("o").build())
        .hasMessageContaining("at least one model");
    assertThatThrownBy(
            () -> MultiLlmNode.builder().model("a", new ScriptedClient()).user("x").build())
        .hasMessageContaining("output(key)");
  }

  @Test
  void fingerprintNamesEveryModel() {
    MultiLlmNode node =
        MultiLlmNode.builder()
            .model("a", new ScriptedClient("p1"), "m1")
            .model("b", new ScriptedClient("p2"), "m2")
            .user("{question}")
            .output("answers")
            .build();
    assertThat(node.fingerprint()).contains("model a p1 m1").contains("model b p2 m2");
    assertThat(node.labels()).containsExactly("a", "b");
    assertThat(node.kind()).isEqualTo("multi-llm");
    assertThat(node.reads()).contains(Set.of("question"));
  }
}
