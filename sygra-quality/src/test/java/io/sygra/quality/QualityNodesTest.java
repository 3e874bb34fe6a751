package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.core.Graph;
import io.sygra.core.Nodes;
import io.sygra.core.State;
import io.sygra.core.run.Pipeline;
import io.sygra.core.run.RunReport;
import io.sygra.core.run.Sink;
import io.sygra.core.run.Sources;
import io.sygra.llm.SimulatedModelClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A generation graph gating its own output with heuristics, dedup, the judge and a gate. */
class QualityNodesTest {

  @Test
  void aGraphTagsAndGatesItsOwnOutput() {
    List<Map<String, Object>> inputs = new ArrayList<>();
    String[][] answers = {
      {"What is two plus two?", "Two plus two is four."},
      {"Capital of Italy?", "The capital of Italy is Rome."},
      {"Capital of Italy?", "The capital of Italy is Rome."}, // exact duplicate
      {"Help me", "I'm sorry, but I can't help with that."}, // refusal
      {"Contact?", "Write to mario.rossi@gmail.com today."} // PII
    };
    for (int i = 0; i < answers.length; i++) {
      // "n" keeps the records distinct for the runner, which drops repeated input ids.
      inputs.add(Map.of("n", i, "question", answers[i][0], "answer", answers[i][1]));
    }
    QualityReport report = QualityReport.create();
    SimulatedModelClient sim = SimulatedModelClient.create();
    Judge judge = Judge.builder().client(sim).model("sim").build();
    Graph g =
        Graph.builder()
            .node(
                "generate",
                Nodes.lambda(
                    s ->
                        s.withMessage("user", s.getString("question"))
                            .withMessage("assistant", s.getString("answer"))))
            .node(
                "heuristics",
                QualityNodes.heuristics(Heuristics.builder().defaultTaggers(false).build(), report))
            .node("dedup", QualityNodes.dedup(Deduplicator.builder().exact().build(), report))
            .node("judge", QualityNodes.judge(judge, report))
            .node(
                "gate",
                QualityNodes.gate(
                    QualityRules.judgeDefaults()
                        .with(QualityRule.below("llm.low_overall", "llm.overall", 1.0)),
                    report))
            .chain(Graph.START, "generate", "heuristics", "dedup", "judge", "gate", Graph.END)
            .build();
    List<Map<String, Object>> written = Collections.synchronizedList(new ArrayList<>());
    Sink sink =
        new Sink() {
          @Override
          public void write(Map<String, Object> record) {
            written.add(record);
          }

          @Override
          public void close() {}
        };
    Pipeline pipeline = Pipeline.builder().graph(g).source(Sources.of(inputs)).sink(sink).build();
    assertThat(pipeline.notices()).contains(SimulatedModelClient.NOTICE);
    RunReport run = pipeline.run();

    assertThat(run.input()).isEqualTo(5);
    assertThat(run.written()).isEqualTo(2);
    assertThat(run.dropped()).isEqualTo(3);
    assertThat(run.dropReasons().keySet())
        .anyMatch(r -> r.startsWith("dedup.exact: duplicate of "))
        .anyMatch(r -> r.startsWith("heuristics: ") && r.contains("refusal.refusal"))
        .anyMatch(r -> r.startsWith("heuristics: ") && r.contains("pii.email"));
    assertThat(written)
        .allSatisfy(
            rec -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> q = (Map<String, Object>) rec.get("quality");
              assertThat(q).containsEntry("passed", true).containsKeys("heuristic", "llm");
            });
    // The report is a contributor of the run: report.json gets a quality section.
    @SuppressWarnings("unchecked")
    Map<String, Object> section = (Map<String, Object>) run.extensions().get("quality");
    assertThat(section).isNotNull();
    @SuppressWarnings("unchecked")
    Map<String, Object> funnel = (Map<String, Object>) section.get("funnel");
    assertThat(funnel)
        .containsEntry("in", 5L)
        .containsEntry("out", 2L)
        .containsEntry("reconciles", true);
    assertThat(report.dropped(QualityReport.Stage.HEURISTICS)).isEqualTo(2);
    assertThat(report.dropped(QualityReport.Stage.DEDUP)).isEqualTo(1);
    assertThat(report.entered(QualityReport.Stage.JUDGE)).isEqualTo(2);
    assertThat(sim.requests()).isEqualTo(4); // survivors only: 2 records x 2 calls
  }

  @Test
  void tagOnlyHeuristicsLetAGateDecide() {
    Heuristics h = Heuristics.builder().defaultTaggers(false).build();
    State refusal =
        State.of(
            "r1",
            Map.of(
                "messages",
                List.of(
                    Map.of("role", "user", "content", "Help"),
                    Map.of("role", "assistant", "content", "I cannot help with that."))));
    Graph g =
        Graph.builder()
            .node("tag", QualityNodes.heuristics(h, null, false))
            .node("gate", QualityNodes.gate(QualityRules.none()))
            .chain(Graph.START, "tag", "gate", Graph.END)
            .build();
    List<Map<String, Object>> written = new ArrayList<>();
    RunReport run =
        Pipeline.builder()
            .graph(g)
            .source(Sources.of(List.of(refusal.values())))
            .sink(
                new Sink() {
                  @Override
                  public void write(Map<String, Object> record) {
                    written.add(record);
                  }

                  @Override
                  public void close() {}
                })
            .build()
            .run();
    assertThat(run.dropped()).isEqualTo(1);
    assertThat(run.dropReasons()).containsKey("gate: refusal.refusal");
  }
}
