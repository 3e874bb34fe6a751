package io.sygra.reliability;

import io.sygra.benchmarks.fake.FakeLlmServer;
import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunOptions;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import io.sygra.llm.BudgetRegistry;
import io.sygra.llm.HttpOptions;
import io.sygra.llm.LlmNode;
import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.OpenAiCompatibleClient;
import io.sygra.llm.ResilienceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The LLM pipeline the fault and crash tests run over real HTTP against the fake server: a filter
 * that drops every record whose id ends in 7 (before any model call), then two model calls per
 * record, {@code answer} and {@code review} (which reads the answer). Each prompt contains the
 * record id, so the fake server, which keys requests by the hash of the last user message, counts
 * the requests of every record and node separately.
 */
public final class LlmPipelines {
  /** The model name sent in requests. */
  public static final String MODEL = "sygra-fake";

  private LlmPipelines() {}

  /** The user prompt of the {@code answer} node for a record. */
  public static String answerPrompt(String id, String topic) {
    return "Record " + id + ": write about " + topic + ".";
  }

  /** The user prompt of the {@code review} node for a record and its answer. */
  public static String reviewPrompt(String id, String answer) {
    return "Review " + id + ": " + answer;
  }

  /** Whether the {@code keep} filter drops the record. */
  public static boolean dropped(String id) {
    return id.endsWith("7");
  }

  /** The graph: keep → answer → review. */
  public static Graph graph(ModelClient model) {
    return graph(model, true);
  }

  /** The graph: keep → answer → review, or without {@code keep} when {@code filter} is false. */
  public static Graph graph(ModelClient model, boolean filter) {
    Graph.Builder b = Graph.builder().name("reliability-llm").inputs("id", "topic");
    if (filter) {
      b.node("keep", Nodes.filter(s -> !dropped(s.getString("id")), "id ends with 7"))
          .chain(Graph.START, "keep", "answer");
    } else {
      b.edge(Graph.START, "answer");
    }
    return b.node(
            "answer",
            LlmNode.builder()
                .client(model)
                .user("Record {id}: write about {topic}.")
                .maxTokens(64)
                .output("answer")
                .build())
        .node(
            "review",
            LlmNode.builder()
                .client(model)
                .user("Review {id}: {answer}")
                .maxTokens(64)
                .output("review")
                .build())
        .chain("answer", "review", Graph.END)
        .build();
  }

  /** An HTTP client for {@code server} whose read timeout turns a hung request into a timeout. */
  public static OpenAiCompatibleClient endpoint(String baseUrl, Duration readTimeout) {
    return OpenAiCompatibleClient.builder()
        .baseUrl(baseUrl)
        .model(MODEL)
        .httpOptions(
            HttpOptions.builder()
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(readTimeout)
                .callTimeout(readTimeout.multipliedBy(4))
                .build())
        .build();
  }

  /** The composed client (resilience, metrics; no cache) for one fake server. */
  public static ModelClient client(FakeLlmServer server, ResilienceConfig resilience) {
    return ModelClients.builder()
        .endpoint(endpoint(server.baseUrl(), Duration.ofSeconds(2)))
        .resilience(resilience)
        .budgets(BudgetRegistry.create())
        .build();
  }

  /** Runs the pipeline over {@code input} into {@code dir}. */
  public static RunReport run(ModelClient model, Path input, Path dir, RunOptions options) {
    return Pipeline.builder()
        .graph(graph(model))
        .source(Sources.jsonl(input))
        .runDirectory(dir)
        .options(options)
        .build()
        .run();
  }

  /** The fake server's record key for the {@code answer} call of an input record. */
  public static String answerKey(String id, String topic) {
    return FakeLlmServer.recordKeyOf(answerPrompt(id, topic));
  }

  /** The fake server's record key for the {@code review} call of a written record. */
  public static String reviewKey(Map<String, Object> written) {
    return FakeLlmServer.recordKeyOf(
        reviewPrompt((String) written.get("id"), (String) written.get("answer")));
  }
}
