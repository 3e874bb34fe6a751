package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.schema.Conversation;
import io.sygra.schema.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QualityRulesTest {
  private static Map<String, Object> q(Map<String, Object> heuristic) {
    return Map.of("heuristic", heuristic);
  }

  @Test
  void thresholdRulesFireOnlyOnPresentValues() {
    QualityRule r = QualityRule.above("shape.too_long", "heuristic.shape.tokens", 100);
    assertThat(r.fails(q(Map.of("shape", Map.of("tokens", 101))))).isTrue();
    assertThat(r.fails(q(Map.of("shape", Map.of("tokens", 100))))).isFalse();
    assertThat(r.fails(q(Map.of("shape", Map.of())))).isFalse();
    assertThat(r.fails(Map.of())).isFalse();
    assertThat(r.description()).isEqualTo("heuristic.shape.tokens > 100");
    assertThat(
            QualityRule.below("x", "llm.overall", 3.5).fails(Map.of("llm", Map.of("overall", 3.4))))
        .isTrue();
    assertThat(QualityRule.atLeast("x", "a", 2).fails(Map.of("a", 2))).isTrue();
    assertThat(QualityRule.equalTo("t", "a.b", "tie").fails(Map.of("a", Map.of("b", "tie"))))
        .isTrue();
    assertThat(QualityRule.present("e", "llm.error").fails(Map.of("llm", Map.of()))).isFalse();
  }

  @Test
  void rulesAreEditable() {
    QualityRules d = QualityRules.heuristicDefaults();
    assertThat(d.rule("pii.email")).isNotNull();
    QualityRules edited = d.without("repetition.*", "pii.email").withLimit("shape.too_long", 10);
    assertThat(edited.rules()).noneMatch(r -> r.reason().startsWith("repetition."));
    assertThat(edited.rule("pii.email")).isNull();
    assertThat(edited.rule("shape.too_long").limit()).isEqualTo(10);
    assertThat(d.rule("shape.too_long").limit()).isEqualTo(16384); // immutable
    assertThatThrownBy(() -> d.without("no.such"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no.such");
    assertThatThrownBy(() -> d.withLimit("refusal.refusal", 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no threshold");
    assertThatThrownBy(() -> QualityRule.isTrue("has space", "a"))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void defaultHeuristicsFailWithNamedReasons() {
    Heuristics h = Heuristics.builder().defaultTaggers(false).build();
    Heuristics.Result ok =
        h.evaluate(
            QualitySample.of(
                "a",
                Conversation.of(
                    Message.user("What is the capital of France?"),
                    Message.assistant("The capital of France is Paris."))));
    assertThat(ok.passed()).isTrue();
    assertThat(ok.tags())
        .containsKeys("shape", "diversity", "repetition", "refusal", "pii", "labels");

    Heuristics.Result bad =
        h.evaluate(
            QualitySample.of(
                "b",
                Conversation.of(
                    Message.user("Email me at jo@mailhost.org"),
                    Message.assistant("As an AI language model, I cannot help with that."))));
    assertThat(bad.passed()).isFalse();
    assertThat(bad.reasons())
        .containsExactly("refusal.refusal", "refusal.boilerplate", "pii.email");
  }

  @Test
  void labelsAreUsableInThresholds() {
    Heuristics h = Heuristics.builder().defaultTaggers(false).build();
    QualitySample spam =
        QualitySample.of(
            "s",
            Conversation.of(Message.user("hi"), Message.assistant("Hello, how can I help?"))
                .withMetadata(
                    Map.of(
                        "labels", Map.of("spam", 0.8, "quality", 0.4),
                        "detoxify", Map.of("toxicity", 0.95))));
    Heuristics.Result r = h.evaluate(spam);
    assertThat(r.reasons()).containsExactly("labels.spam", "detoxify.toxicity");
    @SuppressWarnings("unchecked")
    Map<String, Object> labels = (Map<String, Object>) r.tags().get("labels");
    assertThat(labels.get("human")).isEqualTo(Map.of("spam", 0.8, "quality", 0.4));
  }

  @Test
  void customRules() {
    QualityRule noLinks =
        QualityRule.of(
            "custom.short",
            "fewer than 5 response tokens",
            qq ->
                qq.get("heuristic") instanceof Map<?, ?> m
                    && m.get("shape") instanceof Map<?, ?> s
                    && ((Number) s.get("response_tokens")).intValue() < 5);
    Heuristics h =
        Heuristics.builder().tagger(ShapeTagger.create()).rules(QualityRules.of(noLinks)).build();
    Heuristics.Result r =
        h.evaluate(
            QualitySample.of("x", Conversation.of(Message.user("q"), Message.assistant("Yes."))));
    assertThat(r.reasons()).isEqualTo(List.of("custom.short"));
  }
}
