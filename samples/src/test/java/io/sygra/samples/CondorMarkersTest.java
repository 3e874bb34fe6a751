package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CondorMarkersTest {
  @Test
  void parsesThreeQuestionsEvenWithAMissingClosingMarker() {
    CondorMarkers.Questions q =
        CondorMarkers.parseQuestions(
            "[Easy][Question Start]What is tea?[Question End]\n\n"
                + "[Medium][Question Start]How is green tea processed?\n\n"
                + "[ Hard ][Question Start]Compare oolong oxidation levels.[Question End]");
    assertThat(q.questions())
        .extracting(CondorMarkers.Question::difficulty)
        .containsExactly("Easy", "Medium", "Hard");
    assertThat(q.questions().get(1).text()).isEqualTo("How is green tea processed?");
    assertThat(q.missingMarkers()).containsExactly("Medium [Question End]");
  }

  @Test
  void rejectsMissingOrDuplicatedDifficulties() {
    assertThatThrownBy(
            () ->
                CondorMarkers.parseQuestions(
                    "[Easy][Question Start]a[Question End][Medium][Question Start]b[Question End]"))
        .isInstanceOf(CondorMarkers.ParseException.class)
        .hasMessageContaining("[Easy], [Medium], [Hard]");
    assertThatThrownBy(
            () ->
                CondorMarkers.parseQuestions(
                    "[Easy][Question Start][Question End][Medium]b[Hard]c"))
        .hasMessageContaining("Easy question is empty");
  }

  @Test
  void critiqueWithoutWrapperOrClosingMarkers() {
    CondorMarkers.Critique c =
        CondorMarkers.parseCritique(
            "[Strength Start]Clear.[Strength End]\n[Weakness Start]Vague about costs.\n"
                + "[Suggestion Start]Add numbers.");
    assertThat(c.strength()).isEqualTo("Clear.");
    assertThat(c.weakness()).isEqualTo("Vague about costs.");
    assertThat(c.suggestion()).isEqualTo("Add numbers.");
    assertThat(c.missingMarkers())
        .containsExactly(
            "[Critique Start]", "[Critique End]", "[Weakness End]", "[Suggestion End]");
    assertThat(c.feedback()).contains("[Weakness Start]Vague about costs.[Weakness End]");
  }

  @Test
  void wrappedCritiqueEndsAtTheWrapper() {
    CondorMarkers.Critique c =
        CondorMarkers.parseCritique(
            "Sure.\n[Critique Start]\n[Strength Start]A[Strength End]\n[Weakness Start]B"
                + "[Weakness End]\n[Suggestion Start]C\n[Critique End]\nThanks!");
    assertThat(c.suggestion()).isEqualTo("C");
    assertThat(c.missingMarkers()).containsExactly("[Suggestion End]");
    assertThatThrownBy(() -> CondorMarkers.parseCritique("No markers here at all."))
        .isInstanceOf(CondorMarkers.ParseException.class);
  }

  @Test
  void improvedAnswerWithEitherMarkerMissing() {
    assertThat(
            CondorMarkers.parseImprovedAnswer("[Improved Answer Start]Better.[Improved Answer End]")
                .text())
        .isEqualTo("Better.");
    CondorMarkers.ImprovedAnswer noEnd =
        CondorMarkers.parseImprovedAnswer("[Improved Answer Start] Better, longer. ");
    assertThat(noEnd.text()).isEqualTo("Better, longer.");
    assertThat(noEnd.missingMarkers()).containsExactly("[Improved Answer End]");
    CondorMarkers.ImprovedAnswer noStart =
        CondorMarkers.parseImprovedAnswer("Better.[Improved Answer End] trailing");
    assertThat(noStart.text()).isEqualTo("Better.");
    assertThat(noStart.missingMarkers()).containsExactly("[Improved Answer Start]");
    assertThatThrownBy(
            () -> CondorMarkers.parseImprovedAnswer("[Improved Answer Start][Improved Answer End]"))
        .isInstanceOf(CondorMarkers.ParseException.class);
  }
}
