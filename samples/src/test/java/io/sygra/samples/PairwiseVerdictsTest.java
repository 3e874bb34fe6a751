package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PairwiseVerdictsTest {
  @Test
  void consistentPreferenceChoosesTheHigherMean() {
    PairwiseVerdicts.Decision d = PairwiseVerdicts.decide(8, 5, 6, 9);
    assertThat(d.winner()).isEqualTo("a");
    assertThat(d.scoreA()).isEqualTo(8.5);
    assertThat(d.scoreB()).isEqualTo(5.5);
    assertThat(PairwiseVerdicts.decide(4, 7, 7, 4).winner()).isEqualTo("b");
  }

  @Test
  void aVerdictThatFollowsThePositionIsDropped() {
    // The judge prefers whatever is shown first: A wins A-first, B wins B-first.
    PairwiseVerdicts.Decision d = PairwiseVerdicts.decide(9, 6, 9, 6);
    assertThat(d.kept()).isFalse();
    assertThat(d.dropReason()).isEqualTo(PairwiseVerdicts.INCONSISTENT);
  }

  @Test
  void equalMeansAreTies() {
    assertThat(PairwiseVerdicts.decide(7, 7, 7, 7).dropReason()).isEqualTo(PairwiseVerdicts.TIE);
    // One order is a tie, the other not: same direction is fine, the mean decides.
    assertThat(PairwiseVerdicts.decide(7, 7, 5, 6).winner()).isEqualTo("a");
  }
}
