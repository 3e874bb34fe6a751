package io.sygra.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LenientJsonTest {

  @Test
  void prefersTheFirstJsonFenceOverEarlierNonJsonFences() throws Exception {
    String text = "```python\nprint(1)\n```\nand\n```json\n{\"a\": [1, 2]}\n```";
    assertThat(LenientJson.read(text, LenientJson.Root.OBJECT))
        .isEqualTo(Map.of("a", List.of(1, 2)));
  }

  @Test
  void rootKindGuidesExtraction() throws Exception {
    String text = "Items [see below]: {\"x\": 1} and [1, 2]";
    assertThat(LenientJson.read(text, LenientJson.Root.OBJECT)).isEqualTo(Map.of("x", 1));
    assertThat(LenientJson.read("List: [1, 2] done", LenientJson.Root.ARRAY))
        .isEqualTo(List.of(1, 2));
  }

  @Test
  void balancedEndHonoursEscapes() {
    String t = "{\"a\": \"\\\"}\"}tail";
    assertThat(LenientJson.balancedEnd(t, 0)).isEqualTo(t.indexOf("}tail"));
    assertThat(LenientJson.balancedEnd("{\"a\": 1", 0)).isEqualTo(-1);
  }

  @Test
  void toleratesCommentsAndTrailingCommas() throws Exception {
    String text = "{\n  // the score\n  \"score\": 3,\n  \"tags\": [\"a\",],\n}";
    assertThat(LenientJson.read(text, LenientJson.Root.OBJECT))
        .isEqualTo(Map.of("score", 3, "tags", List.of("a")));
  }
}
