package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairwiseLogisticScorerTest {
  @Test
  void learnsASeparableToySet() {
    // Positives have a large first feature, negatives a small one; the second feature is noise.
    Random rnd = new Random(7);
    List<PairwiseLogisticScorer.Pair> pairs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      double[] pos = {1 + rnd.nextDouble(), rnd.nextGaussian()};
      double[] neg = {-1 - rnd.nextDouble(), rnd.nextGaussian()};
      pairs.add(new PairwiseLogisticScorer.Pair(pos, neg));
    }
    PairwiseLogisticScorer head =
        PairwiseLogisticScorer.train(pairs, PairwiseLogisticScorer.Training.defaults());
    assertThat(head.trainAccuracy()).isEqualTo(1.0);
    assertThat(head.finalLoss()).isLessThan(0.1);
    assertThat(head.weights()[0]).isGreaterThan(Math.abs(head.weights()[1]) * 5);
    // Held-out pairs are ranked correctly too.
    for (int i = 0; i < 50; i++) {
      double[] pos = {1 + rnd.nextDouble(), rnd.nextGaussian()};
      double[] neg = {-1 - rnd.nextDouble(), rnd.nextGaussian()};
      assertThat(head.score(pos)).isGreaterThan(head.score(neg));
      assertThat(head.preference(pos, neg)).isGreaterThan(0.5);
    }
  }

  @Test
  void trainingIsDeterministicAndLossDecreasesWithEpochs() {
    List<PairwiseLogisticScorer.Pair> pairs =
        List.of(
            new PairwiseLogisticScorer.Pair(new double[] {1, 0}, new double[] {0, 1}),
            new PairwiseLogisticScorer.Pair(new double[] {2, 1}, new double[] {1, 2}));
    PairwiseLogisticScorer a =
        PairwiseLogisticScorer.train(pairs, new PairwiseLogisticScorer.Training(10, 0.5, 0));
    PairwiseLogisticScorer b =
        PairwiseLogisticScorer.train(pairs, new PairwiseLogisticScorer.Training(10, 0.5, 0));
    PairwiseLogisticScorer c =
        PairwiseLogisticScorer.train(pairs, new PairwiseLogisticScorer.Training(200, 0.5, 0));
    assertThat(a.weights()).containsExactly(b.weights());
    assertThat(c.finalLoss()).isLessThan(a.finalLoss());
    assertThat(a.finalLoss()).isLessThan(Math.log(2));
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(
            () ->
                PairwiseLogisticScorer.train(List.of(), PairwiseLogisticScorer.Training.defaults()))
        .hasMessageContaining("at least one pair");
    assertThatThrownBy(() -> new PairwiseLogisticScorer.Pair(new double[2], new double[3]))
        .hasMessageContaining("differ in length");
    assertThatThrownBy(() -> new PairwiseLogisticScorer.Training(0, 0.1, 0))
        .hasMessageContaining("epochs");
  }
}
