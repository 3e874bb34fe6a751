package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.Graph;
import io.sygra.core.Key;
import io.sygra.core.Node;
import io.sygra.core.NodeResult;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.ReportContributor;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sources;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart shape (question → answer → structured judge) built from the public API and walked
 * node by node, offline, with the simulated model: checks that the pieces fit as documented.
 */
class ExampleGraphTest {

  /** The judge's verdict; every property becomes a state key. */
  record Judgement(@Min(1) @Max(10) int score, String reason) {}

  static Graph quickstart(ModelClient model) {
    Node question =
        LlmNode.builder()
            .client(model)
            .system("You write one clear exam question.")
            .user("Write a question about {topic}.")
            .temperature(0.9)
            .output("question")
            .build();
    Node answer =
        LlmNode.builder()
            .client(model)
            .system("You are a concise expert.")
            .user("{question}")
            .maxTokens(256)
            .output("answer")
            .build();
    Node judge =
        LlmNode.builder()
            .client(model)
            .system("You grade answers strictly.")
            .user("Question: {question}\nAnswer: {answer}\nGrade the answer from 1 to 10.")
            .temperature(0)
            .structuredOutput(Judgement.class)
            .build();
    return Graph.builder()
        .name("quickstart")
        .inputs("topic")
        .node("question", question)
        .node("answer", answer)
        .node("judge", judge)
        .node("keep_good", Nodes.filter(s -> s.require(Key.integer("score")) >= 5, "low score"))
        .chain(Graph.START, "question", "answer", "judge", "keep_good", Graph.END)
        .build();
  }

  @Test
  void runsOfflineAndEveryRecordGetsTypedScores() throws Exception {
    SimulatedModelClient sim = SimulatedModelClient.builder().seed(42).build();
    Graph g = quickstart(sim);

    List<String> outcomes = new ArrayList<>();
    for (String topic : List.of("tides", "photosynthesis", "compilers")) {
      State s = State.of("r-" + topic, Map.of("topic", topic));
      String at = g.next(Graph.START).orElseThrow();
      while (!at.equals(Graph.END)) {
        NodeResult r =
            g.node(at)
                .run(s, new NodeTestContext(at, s.id()))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        if (r instanceof NodeResult.Drop d) {
          outcomes.add(topic + ": dropped (" + d.reason() + ")");
          s = null;
          break;
        }
        s = ((NodeResult.Next) r).state();
        at = g.next(at).orElseThrow();
      }
      if (s != null) {
        assertThat(s.getString("question")).isNotBlank();
        assertThat(s.getString("answer")).isNotBlank();
        assertThat(s.require(Key.string("reason"))).isNotBlank();
        outcomes.add(topic + ": " + s.require(Key.integer("score")));
      }
    }

    assertThat(outcomes).hasSize(3);
    // Deterministic: the same seed reproduces every question, answer and score.
    assertThat(outcomes).isEqualTo(rerun());
    // Every LLM node stands for the simulated client, so the run prints its notice.
    List<String> notices = new ArrayList<>();
    for (String n : g.nodeNames()) {
      if (g.node(n) instanceof ReportContributor rc) {
        rc.children().forEach(c -> notices.addAll(c.notices()));
      }
    }
    assertThat(notices).containsOnly(SimulatedModelClient.NOTICE).hasSize(3);
    Map<String, Object> sections = new LinkedHashMap<>();
    ((ReportContributor) g.node("judge")).contribute(sections);
    assertThat(sections.get("nodes")).asString().contains("judge").contains("requests=3");
  }

  @Test
  @SuppressWarnings("unchecked")
  void runsThroughThePipelineWithNoticeAndReportSections(@TempDir Path dir) throws Exception {
    SimulatedModelClient sim = SimulatedModelClient.builder().seed(7).build();
    List<Map<String, ?>> topics = new ArrayList<>();
    for (String t : List.of("tides", "volcanoes", "bridges", "glaciers", "compilers")) {
      topics.add(Map.of("topic", t));
    }

    RunReport report =
        Pipeline.builder()
            .graph(quickstart(sim))
            .source(Sources.of(topics))
            .runDirectory(dir.resolve("run"))
            .build()
            .run();

    assertThat(report.input()).isEqualTo(5);
    assertThat(report.reconciles()).isTrue();
    assertThat(report.failed()).isZero();
    assertThat(report.written() + report.dropped()).isEqualTo(5);
    assertThat(report.notices()).containsExactly(SimulatedModelClient.NOTICE);
    Map<String, Object> nodes = (Map<String, Object>) report.extensions().get("nodes");
    assertThat(nodes).containsKeys("question", "answer", "judge");
    assertThat((Map<String, Object>) nodes.get("judge")).containsEntry("requests", 5L);
    assertThat(report.extensions().get(SimulatedModelClient.SECTION))
        .asString()
        .contains("requests=15");
    assertThat(sim.requests()).isEqualTo(15);
    String firstOutput = Files.readAllLines(dir.resolve("run/output.jsonl")).get(0);
    assertThat(firstOutput).contains("\"score\"").contains("\"reason\"").contains("\"answer\"");
  }

  private static List<String> rerun() throws Exception {
    Graph g = quickstart(SimulatedModelClient.builder().seed(42).build());
    List<String> outcomes = new ArrayList<>();
    for (String topic : List.of("tides", "photosynthesis", "compilers")) {
      State s = State.of("r-" + topic, Map.of("topic", topic));
      for (String at : List.of("question", "answer", "judge", "keep_good")) {
        NodeResult r =
            g.node(at)
                .run(s, new NodeTestContext(at, s.id()))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        if (r instanceof NodeResult.Drop d) {
          outcomes.add(topic + ": dropped (" + d.reason() + ")");
          s = null;
          break;
        }
        s = ((NodeResult.Next) r).state();
      }
      if (s != null) {
        outcomes.add(topic + ": " + s.require(Key.integer("score")));
      }
    }
    return outcomes;
  }
}
