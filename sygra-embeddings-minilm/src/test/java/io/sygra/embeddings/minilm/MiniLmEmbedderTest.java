package io.sygra.embeddings.minilm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmEmbedderTest {
  private static MiniLmEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = MiniLmEmbedder.create();
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void paraphrasesAreCloserThanUnrelatedSentences() {
    float[][] v =
        embedder.embedBlocking(
            List.of(
                "How do I reverse a list in Python?",
                "What is the way to reverse a Python list?",
                "The weather in Lisbon is warm and sunny in July."));
    assertThat(v).hasNumberOfRows(3);
    assertThat(v[0]).hasSize(MiniLmEmbedder.DIMENSIONS);
    double similar = cosine(v[0], v[1]);
    double unrelated = cosine(v[0], v[2]);
    assertThat(similar).isGreaterThan(0.75);
    assertThat(unrelated).isLessThan(0.3);
    assertThat(similar).isGreaterThan(unrelated + 0.4);
  }

  @Test
  void batchesAreSplitAndKeepInputOrder() {
    MiniLmEmbedder small = MiniLmEmbedder.create(1, 2);
    try {
      List<String> texts = List.of("alpha beta", "gamma delta", "epsilon", "alpha beta");
      float[][] v = small.embedBlocking(texts);
      assertThat(v).hasNumberOfRows(4);
      // The same text embeds identically wherever it falls in the batches.
      assertThat(cosine(v[0], v[3])).isGreaterThan(0.9999);
      assertThat(cosine(v[0], v[1])).isLessThan(0.99);
    } finally {
      small.close();
    }
  }

  @Test
  void emptyInputAndBlankTextsAreHandled() {
    assertThat(embedder.embedBlocking(List.of())).isEmpty();
    float[][] v = embedder.embedBlocking(List.of("", "hello there", "   "));
    assertThat(v).hasNumberOfRows(3);
    assertThat(v[0]).hasSize(MiniLmEmbedder.DIMENSIONS).containsOnly(0f);
    assertThat(v[2]).containsOnly(0f);
    assertThat(cosine(v[1], v[1])).isGreaterThan(0.999);
  }

  @Test
  void closedEmbedderFailsWithAModelException() {
    MiniLmEmbedder e = MiniLmEmbedder.create();
    e.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.embedBlocking(List.of("x")))
        .isInstanceOf(io.sygra.llm.ModelException.class)
        .hasMessageContaining("closed");
  }
}
