package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeuristicQuestionScorerTest {
  private final HeuristicQuestionScorer scorer = new HeuristicQuestionScorer();
  private static final String CONTEXT =
      "Large cells grow more nuclei so that they can supply enough proteins and RNA for their"
          + " needs, and their membranes fold to increase the surface area for transport.";

  @Test
  void groundedWellFormedQuestionsBeatVagueOnesAndCopies() {
    double good = scorer.score(CONTEXT, "How do large cells supply enough proteins and RNA?");
    double vague = scorer.score(CONTEXT, "What is this?");
    double offTopic = scorer.score(CONTEXT, "Who won the football match yesterday evening?");
    double copy = scorer.score(CONTEXT, CONTEXT);
    assertThat(good).isGreaterThan(vague).isGreaterThan(0.8);
    assertThat(good).isGreaterThan(offTopic);
    assertThat(good).isGreaterThan(copy);
    assertThat(scorer.score(CONTEXT, "")).isZero();
  }
}
