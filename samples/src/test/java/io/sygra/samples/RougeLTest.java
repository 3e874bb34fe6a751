package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeLTest {
  @Test
  void identicalTextsScoreOneDisjointZero() {
    assertThat(RougeL.f1("What is a hash table?", "what is a HASH table")).isEqualTo(1.0);
    assertThat(RougeL.f1("alpha beta", "gamma delta")).isZero();
    assertThat(RougeL.f1("", "anything")).isZero();
  }

  @Test
  void f1OfTheLongestCommonSubsequence() {
    // LCS of "the cat sat on the mat" and "the cat lay on a mat" is "the cat on mat" (4 tokens).
    double f = RougeL.f1("the cat sat on the mat", "the cat lay on a mat");
    double p = 4 / 6.0;
    double r = 4 / 6.0;
    assertThat(f).isCloseTo(2 * p * r / (p + r), within(1e-9));
    // Order matters: a subsequence, not a bag of words.
    assertThat(RougeL.f1("a b c d", "d c b a")).isCloseTo(0.25, within(1e-9));
  }

  @Test
  void cjkCharactersAreTokens() {
    assertThat(RougeL.tokens("世界市场 system")).containsExactly("世", "界", "市", "场", "system");
    assertThat(RougeL.lcs(List.of("a", "b", "c"), List.of("a", "c"))).isEqualTo(2);
  }
}
