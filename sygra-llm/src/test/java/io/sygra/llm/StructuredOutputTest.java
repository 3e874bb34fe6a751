package io.sygra.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sygra.core.ConfigurationException;
import io.sygra.core.Key;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StructuredOutputTest {

  enum Label {
    GOOD,
    BAD
  }

  record Verdict(@Min(1) @Max(10) int score, String reason, Label label) {}

  private final StructuredOutput<Verdict> verdict = StructuredOutput.of(Verdict.class);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\"}",
        "```json\n{\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\"}\n```",
        "Here you go:\n```\n{\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\"}\n```\nDone.",
        "Sure! {\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\"} Hope that helps {:}",
        "<think>score {maybe} 9?</think>\n{\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\"}",
        "{\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\",}",
        "{\"score\": 8, \"reason\": \"ok\", \"label\": \"GOOD\", \"extra\": \"ignored\"}",
        "{'score': 8, 'reason': 'ok', 'label': 'GOOD'}"
      })
  void parsesLenientlyAboutForm(String reply) {
    assertThat(verdict.parse(reply)).isEqualTo(new Verdict(8, "ok", Label.GOOD));
  }

  @Test
  void bracesInsideStringsDoNotConfuseExtraction() {
    String reply =
        "Answer: {\"score\": 3, \"reason\": \"uses } and { and \\\" quotes\", \"label\": \"BAD\"}";
    assertThat(verdict.parse(reply).reason()).isEqualTo("uses } and { and \" quotes");
  }

  @Test
  void rawNewlinesInsideStringsAreAccepted() {
    String reply = "{\"score\": 3, \"reason\": \"line one\nline two\", \"label\": \"BAD\"}";
    assertThat(verdict.parse(reply).reason()).isEqualTo("line one\nline two");
  }

  @Test
  void strictAboutContentWithRawTextAttached() {
    String reply = "{\"score\": 11, \"label\": \"MEH\"}";
    assertThatThrownBy(() -> verdict.parse(reply))
        .isInstanceOfSatisfying(
            StructuredOutputException.class,
            e -> {
              assertThat(e.rawText()).isEqualTo(reply);
              assertThat(e.schemaName()).isEqualTo("Verdict");
              assertThat(e.problems())
                  .containsExactlyInAnyOrder(
                      "$: missing required property 'reason'",
                      "$.score: 11 is greater than the maximum 10",
                      "$.label: \"MEH\" is not one of [\"GOOD\",\"BAD\"]");
              assertThat(e.attempts()).isEqualTo(1);
              assertThat(e.node()).isNull();
            })
        .hasMessageContaining("raw reply: " + reply);
  }

  @Test
  void describesUnreadableReplies() {
    assertThatThrownBy(() -> verdict.parse("I cannot answer that."))
        .hasMessageContaining("no JSON object was found in the reply");
    assertThatThrownBy(() -> verdict.parse("  "))
        .isInstanceOf(StructuredOutputException.class)
        .hasMessageContaining("the reply is empty");
    assertThatThrownBy(() -> verdict.parse(null))
        .hasMessageContaining("the reply is empty")
        .hasMessageContaining("raw reply: (no text)");
    assertThatThrownBy(() -> verdict.parse("{\"score\": 8, \"reason\": \"cut of"))
        .hasMessageContaining("is never closed (the reply may have been cut off)");
    assertThatThrownBy(() -> verdict.parse("<think>still thinking {\"score\": 1"))
        .hasMessageContaining("unterminated <think> block");
    assertThatThrownBy(() -> verdict.parse("{\"score\": 8 \"reason\": \"x\"}"))
        .hasMessageContaining("the JSON is malformed")
        .hasMessageContaining("line 1");
  }

  @Test
  void longRawTextIsCutInTheMessageButKeptWhole() {
    String reply = "x".repeat(5000);
    StructuredOutputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            StructuredOutputException.class, () -> verdict.parse(reply));
    assertThat(e.rawText()).hasSize(5000);
    assertThat(e.getMessage()).contains("(5000 characters)").hasSizeLessThan(1400);
  }

  @Test
  void listTypesAreWrappedOnTheWireAndAcceptedBare() {
    StructuredOutput<List<String>> questions =
        StructuredOutput.of(new TypeReference<List<String>>() {});

    assertThat(questions.wrapped()).isTrue();
    assertThat(questions.schema().get("type")).isEqualTo("object");
    assertThat(questions.schema().get("required")).isEqualTo(List.of("value"));
    assertThat(questions.parse("{\"value\": [\"a\", \"b\"]}")).containsExactly("a", "b");
    assertThat(questions.parse("Questions:\n[\"a\", \"b\"]")).containsExactly("a", "b");
    assertThatThrownBy(() -> questions.parse("[1, 2]"))
        .hasMessageContaining("$.value[0]: expected string, found 1");
    assertThat(questions.properties()).isEmpty();
  }

  @Test
  void keyTypes() {
    StructuredOutput<Verdict> fromKey = StructuredOutput.of(Key.of("verdict", Verdict.class));
    assertThat(fromKey.schema()).isEqualTo(verdict.schema());
    assertThat(fromKey.properties()).containsExactly("score", "reason", "label");
  }

  @Test
  void handWrittenSchemaYieldsPlainJson() {
    StructuredOutput<Object> spec =
        StructuredOutput.of(
            "judge result!",
            Map.of(
                "type", "object",
                "properties", Map.of("ok", Map.of("type", "boolean")),
                "required", List.of("ok")));

    assertThat(spec.name()).isEqualTo("judge_result_");
    assertThat(spec.parse("{\"ok\": true}")).isEqualTo(Map.of("ok", true));
    assertThat(spec.strict()).isFalse(); // additionalProperties not forbidden
    assertThat(spec.responseFormat().strict()).isFalse();
    assertThatThrownBy(() -> StructuredOutput.of(" ", Map.of("type", "object")))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void responseFormatAndInstructionsCarryTheSchema() {
    ResponseFormat.JsonSchema rf = verdict.responseFormat();
    assertThat(rf.name()).isEqualTo("Verdict");
    assertThat(rf.strict()).isTrue();
    assertThat(rf.schema()).isEqualTo(verdict.schema());
    assertThat(verdict.formatInstructions())
        .contains("JSON schema for the reply:")
        .contains("\"score\"")
        .contains("\"maximum\" : 10");
  }

  @Test
  void conversionFailureIsAProblem() {
    record Dated(java.time.LocalDate day) {}
    StructuredOutput<Dated> dated = StructuredOutput.of(Dated.class);
    assertThatThrownBy(() -> dated.parse("{\"day\": \"not a date\"}"))
        .isInstanceOf(StructuredOutputException.class)
        .hasMessageContaining("does not convert to Dated");
  }
}
