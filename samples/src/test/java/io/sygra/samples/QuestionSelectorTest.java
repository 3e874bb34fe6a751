package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuestionSelectorTest {
  @Test
  void keepsTheBestDiverseQuestionsUpToTheQuota() {
    List<QuestionSelector.Candidate<String>> c =
        List.of(
            new QuestionSelector.Candidate<>(
                "Why did the empire expand its trade routes?", 0.9, "a"),
            new QuestionSelector.Candidate<>(
                "Why did the empire expand its trade routes so fast?", 0.8, "b"),
            new QuestionSelector.Candidate<>("Which colonies supplied raw materials?", 0.7, "c"),
            new QuestionSelector.Candidate<>("How did prices on world markets change?", 0.6, "d"),
            new QuestionSelector.Candidate<>("What did the colonies import?", 0.1, "e"));
    QuestionSelector.Selection<String> s = QuestionSelector.select(c, 3, 0.7);
    assertThat(s.kept())
        .extracting(QuestionSelector.Candidate::payload)
        .containsExactly("a", "c", "d");
    assertThat(s.tooSimilar()).isEqualTo(1);
    assertThat(s.overQuota()).isEqualTo(1);
    assertThat(s.maxKeptRougeL()).isLessThanOrEqualTo(0.7);
    for (int i = 0; i < s.kept().size(); i++) {
      for (int j = i + 1; j < s.kept().size(); j++) {
        assertThat(RougeL.f1(s.kept().get(i).question(), s.kept().get(j).question()))
            .isLessThanOrEqualTo(0.7);
      }
    }
  }

  @Test
  void zeroQuotaKeepsNothing() {
    assertThat(
            QuestionSelector.select(List.of(new QuestionSelector.Candidate<>("Q?", 1, 1)), 0, 0.7)
                .kept())
        .isEmpty();
  }
}
