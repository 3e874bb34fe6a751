package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.llm.ModelClient;
import io.sygra.llm.ModelClients;
import io.sygra.llm.OpenAiCompatibleClient;
import io.sygra.llm.ResilienceConfig;
import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import io.sygra.schema.Preference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityPipelineTest {

  private static Heuristics fastHeuristics() {
    return Heuristics.builder().defaultTaggers(false).build();
  }

  @Test
  void theJudgeIsCalledOnlyForSurvivorsAndCountsReconcile() throws Exception {
    List<QualityPipeline.Item> items =
        Fixtures.read(Format.ALPACA, "sft/llamafactory_alpaca_en_demo.json").subList(0, 120);
    List<QualityPipeline.Item> input = new ArrayList<>(items);
    // Two records stage 1 must drop, and one exact duplicate dedup must drop.
    input.add(
        new QualityPipeline.Item(
            "refusal",
            Conversation.of(
                Message.user("Write a poem"),
                Message.assistant("I'm sorry, but I can't help with that."))));
    input.add(
        new QualityPipeline.Item(
            "pii",
            Conversation.of(
                Message.user("Who to contact?"),
                Message.assistant("Contact Jane at jane.roe@gmail.com for details."))));
    input.add(new QualityPipeline.Item("copy", items.get(3).example()));

    QualityReport report = QualityReport.create();
    List<QualityPipeline.Outcome> outcomes = new ArrayList<>();
    try (JudgeServer server = new JudgeServer();
        ModelClient client =
            ModelClients.builder()
                .endpoint(OpenAiCompatibleClient.builder().baseUrl(server.baseUrl()).build())
                .resilience(ResilienceConfig.builder().maxAttempts(1).build())
                .build();
        QualityPipeline p =
            QualityPipeline.builder()
                .heuristics(fastHeuristics())
                .deduplicator(Deduplicator.builder().exact().near().build())
                .judge(Judge.builder().client(client).model("judge-model").build())
                .judgeRules(
                    QualityRules.judgeDefaults()
                        .with(QualityRule.below("llm.low_overall", "llm.overall", 3.5)))
                .report(report)
                .chunkSize(16)
                .build()) {
      // Everything the judge sees scores 4, except the record mentioning "Paris": 2.
      server.response =
          req -> JudgeServer.scores(req, JudgeServer.userPrompt(req).contains("Paris") ? 2 : 4);
      QualityPipeline.Summary s = p.run(input.iterator(), outcomes::add);

      long stage1Dropped =
          outcomes.stream().filter(o -> o.droppedAt() == QualityReport.Stage.HEURISTICS).count();
      long dedupDropped =
          outcomes.stream().filter(o -> o.droppedAt() == QualityReport.Stage.DEDUP).count();
      long survivors = input.size() - stage1Dropped - dedupDropped;
      // Two calls per SFT record (classify, response): survivors only.
      assertThat(server.requests.get()).isEqualTo(2 * survivors);
      assertThat(s.judged()).isEqualTo(survivors);
      assertThat(s.read()).isEqualTo(input.size());
      assertThat(s.passed() + s.dropped()).isEqualTo(s.read());
      assertThat(stage1Dropped).isGreaterThanOrEqualTo(2);
      assertThat(dedupDropped).isGreaterThanOrEqualTo(1);
      assertThat(s.droppedByStage())
          .containsEntry("heuristics", stage1Dropped)
          .containsEntry("dedup", dedupDropped);
    }

    // Outcomes come back in input order, each with its quality object in the metadata.
    for (int i = 0; i < outcomes.size(); i++) {
      assertThat(outcomes.get(i).index()).isEqualTo(i);
      assertThat(outcomes.get(i).example().metadata().get("quality"))
          .isEqualTo(outcomes.get(i).quality());
    }
    QualityPipeline.Outcome refusal = find(outcomes, "refusal");
    assertThat(refusal.droppedAt()).isEqualTo(QualityReport.Stage.HEURISTICS);
    assertThat(refusal.reasons()).contains("refusal.refusal");
    assertThat(refusal.quality()).containsEntry("passed", false).doesNotContainKey("llm");
    assertThat(find(outcomes, "pii").reasons()).contains("pii.email");
    QualityPipeline.Outcome copy = find(outcomes, "copy");
    assertThat(copy.droppedAt()).isEqualTo(QualityReport.Stage.DEDUP);
    assertThat(copy.quality().get("dedup"))
        .isEqualTo(Map.of("method", "exact", "duplicate_of", items.get(3).id(), "similarity", 1.0));
    for (QualityPipeline.Outcome o : outcomes) {
      if (o.passed()) {
        assertThat(o.quality()).containsEntry("passed", true).containsKey("llm");
        assertThat(o.quality().get("reasons")).isEqualTo(List.of());
      }
      if (o.droppedAt() == QualityReport.Stage.JUDGE) {
        assertThat(o.reasons()).containsExactly("llm.low_overall");
      }
    }

    assertThat(report.reconciles()).isTrue();
    assertThat(report.in()).isEqualTo(input.size());
    assertThat(report.out() + report.dropped()).isEqualTo(report.in());
    assertThat(report.reasons(QualityReport.Stage.HEURISTICS))
        .containsKeys("refusal.refusal", "pii.email");
    assertThat(report.reasons(QualityReport.Stage.DEDUP)).containsKey("dedup.exact");
    assertThat(report.entered(QualityReport.Stage.JUDGE))
        .isEqualTo(
            report.entered(QualityReport.Stage.DEDUP) - report.dropped(QualityReport.Stage.DEDUP));
  }

  private static QualityPipeline.Outcome find(List<QualityPipeline.Outcome> os, String id) {
    return os.stream().filter(o -> o.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void withoutAJudgeOnlyStageOneAndDedupRun() {
    List<QualityPipeline.Item> items =
        Fixtures.read(Format.ALPACA, "sft/llamafactory_alpaca_en_demo.json");
    List<QualityPipeline.Outcome> outcomes = new ArrayList<>();
    try (QualityPipeline p =
        QualityPipeline.builder()
            .heuristics(fastHeuristics())
            .deduplicator(Deduplicator.builder().exact().build())
            .build()) {
      QualityPipeline.Summary s = p.run(items.iterator(), outcomes::add);
      assertThat(s.judged()).isZero();
      assertThat(s.droppedByStage()).containsOnlyKeys("heuristics", "dedup");
      assertThat(s.droppedByStage().get("dedup")).isGreaterThanOrEqualTo(5);
      assertThat(outcomes).noneMatch(o -> o.quality().containsKey("llm"));
      assertThat(p.report().reconciles()).isTrue();
    }
  }

  @Test
  void dpoPairsGetPreferenceLabelsAndTiesAreDropped() throws Exception {
    List<QualityPipeline.Item> input =
        List.of(
            new QualityPipeline.Item(
                "agree",
                Preference.pair(
                    List.of(Message.user("Compliment me")),
                    Message.assistant("GOOD: You are doing great."),
                    Message.assistant("No."))),
            new QualityPipeline.Item(
                "biased",
                Preference.pair(
                    List.of(Message.user("Name a colour")),
                    Message.assistant("Blue is a calm colour."),
                    Message.assistant("Red is a warm colour."))));
    List<QualityPipeline.Outcome> outcomes = new ArrayList<>();
    try (JudgeServer server = new JudgeServer();
        ModelClient client =
            ModelClients.builder()
                .endpoint(OpenAiCompatibleClient.builder().baseUrl(server.baseUrl()).build())
                .resilience(ResilienceConfig.builder().maxAttempts(1).build())
                .build();
        QualityPipeline p =
            QualityPipeline.builder()
                .heuristics(fastHeuristics())
                .judge(Judge.builder().client(client).model("judge-model").build())
                .build()) {
      // Without GOOD in either reply the judge always answers "A": a position bias.
      server.preference =
          req -> {
            String a =
                JudgeServer.between(JudgeServer.userPrompt(req), "<response_a>", "</response_a>");
            String b =
                JudgeServer.between(JudgeServer.userPrompt(req), "<response_b>", "</response_b>");
            String w = a.contains("GOOD") ? "A" : b.contains("GOOD") ? "B" : "A";
            return JudgeServer.json(Map.of("winner", w, "explanation", "x"));
          };
      p.run(input.iterator(), outcomes::add);
      // classify + response + 2 preference calls per pair
      assertThat(server.requests.get()).isEqualTo(8);
    }
    assertThat(outcomes.get(0).passed()).isTrue();
    assertThat(
            ((Map<?, ?>) ((Map<?, ?>) outcomes.get(0).quality().get("llm")).get("preference"))
                .get("label"))
        .isEqualTo("chosen");
    assertThat(outcomes.get(1).passed()).isFalse();
    assertThat(outcomes.get(1).reasons()).containsExactly("llm.preference_tie");
  }
}
