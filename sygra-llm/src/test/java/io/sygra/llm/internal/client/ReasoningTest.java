package io.sygra.llm.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReasoningTest {
  @Test
  void closedThinkBlock() {
    Reasoning.Split s = Reasoning.split("\n<think>\nplan\n</think>\n\nanswer");
    assertThat(s.reasoning()).isEqualTo("plan");
    assertThat(s.text()).isEqualTo("answer");
  }

  @Test
  void unclosedThinkBlockIsAllReasoning() {
    Reasoning.Split s = Reasoning.split("<think>still thinking");
    assertThat(s.reasoning()).isEqualTo("still thinking");
    assertThat(s.text()).isEmpty();
  }

  @Test
  void onlyAClosingTagAsSomeTemplatesEmit() {
    Reasoning.Split s = Reasoning.split("thoughts</think>answer");
    assertThat(s.reasoning()).isEqualTo("thoughts");
    assertThat(s.text()).isEqualTo("answer");
  }

  @Test
  void thinkTagsInsideTheAnswerAreLeftAlone() {
    Reasoning.Split s = Reasoning.split("Use <think> and </think> tags like this.");
    assertThat(s.reasoning()).isNull();
    assertThat(s.text()).isEqualTo("Use <think> and </think> tags like this.");
  }

  @Test
  void nullStaysNull() {
    assertThat(Reasoning.split(null)).isEqualTo(new Reasoning.Split(null, null));
  }
}
