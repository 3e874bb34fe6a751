package io.sygra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextChunkerTest {
  @Test
  void chunksAtSentenceBoundariesWithinTheLimit() {
    String text =
        "One short sentence. " + "A much longer sentence that goes on and on. ".repeat(20) + "End!";
    List<String> chunks = TextChunker.chunk(text, 120);
    assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(120));
    assertThat(String.join(" ", chunks).split("\\s+")).containsExactly(text.strip().split("\\s+"));
    assertThat(chunks.get(0)).startsWith("One short sentence.");
    assertThat(TextChunker.chunk("x".repeat(250), 100))
        .extracting(String::length)
        .containsExactly(100, 100, 50);
  }

  @Test
  void halvesNearTheMiddle() {
    String[] h = TextChunker.halve("First part here. Second part here. Third one.");
    // Boundaries at 17 and 35 characters; the middle is 23.
    assertThat(h[0]).isEqualTo("First part here.");
    assertThat(h[1]).isEqualTo("Second part here. Third one.");
    String[] w = TextChunker.halve("a single sentence without a full stop in it");
    assertThat(w[0].length()).isLessThan(44);
    assertThat(w[1]).isNotEmpty();
    assertThat(TextChunker.halve("unsplittable")[1]).isEmpty();
  }
}
