package io.sygra.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MinHashTest {
  private static Set<String> shingles(String text, int k) {
    List<String> w = Words.split(text);
    Set<String> out = new HashSet<>();
    for (int i = 0; i + k <= w.size(); i++) {
      out.add(String.join(" ", w.subList(i, i + k)));
    }
    return out;
  }

  @Test
  void similarityEstimatesTheJaccardOfWordShingles() {
    StringBuilder a = new StringBuilder();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      a.append("w").append(i).append(' ');
      b.append(i % 10 == 0 ? "x" : "w").append(i).append(' ');
    }
    Set<String> sa = shingles(a.toString(), 3);
    Set<String> sb = shingles(b.toString(), 3);
    Set<String> inter = new HashSet<>(sa);
    inter.retainAll(sb);
    Set<String> union = new HashSet<>(sa);
    union.addAll(sb);
    double jaccard = inter.size() / (double) union.size();
    MinHash mh = new MinHash(256, 3, 1);
    double est =
        MinHash.similarity(
            mh.signature(a.toString(), new Words.Buffers()),
            mh.signature(b.toString(), new Words.Buffers()));
    assertThat(est).isCloseTo(jaccard, org.assertj.core.data.Offset.offset(0.08));
    assertThat(
            MinHash.similarity(
                mh.signature("", new Words.Buffers()), mh.signature("", new Words.Buffers())))
        .isZero();
  }

  @Test
  void bandsPutTheSCurveNearTheThreshold() {
    for (double t : new double[] {0.5, 0.7, 0.8, 0.9}) {
      int[] br = MinHash.optimalBands(t, 128);
      assertThat(br[0] * br[1]).isLessThanOrEqualTo(128);
      // The curve's inflection (1/b)^(1/r) sits near the threshold.
      double knee = Math.pow(1.0 / br[0], 1.0 / br[1]);
      assertThat(knee).isCloseTo(t, org.assertj.core.data.Offset.offset(0.1));
    }
  }

  @Test
  void wordsSplitCjkIntoCharactersAndKeepApostrophes() {
    assertThat(Words.split("Don't stop, 光合作用!"))
        .containsExactly("don't", "stop", "光", "合", "作", "用");
    Words.Buffers b = new Words.Buffers();
    assertThat(Words.hashes("Don't stop, 光合作用!", b)).isEqualTo(6);
    assertThat(b.hashes[0]).isNotEqualTo(b.hashes[1]);
  }
}
