package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShapeTaggerTest {
  private final ShapeTagger tagger = ShapeTagger.create();

  private static QualitySample conv(Message... messages) {
    return QualitySample.of("r", Conversation.of(messages));
  }

  @Test
  void countsTurnsCharsAndRealTokens() {
    Map<String, Object> t =
        tagger.tag(conv(Message.user("Hello world"), Message.assistant("Hi there, friend.")));
    assertThat(t.get("turns")).isEqualTo(2);
    assertThat(t.get("response_turns")).isEqualTo(1);
    assertThat(t.get("chars")).isEqualTo(11 + 17);
    // cl100k_base: "Hello world" = 2 tokens; "Hi there, friend." = 5 tokens.
    assertThat(t.get("prompt_tokens")).isEqualTo(2);
    assertThat(t.get("response_tokens")).isEqualTo(5);
    assertThat(t.get("tokens")).isEqualTo(7);
    assertThat(t.get("truncated")).isEqualTo(false);
    assertThat(t.get("non_alternating")).isEqualTo(false);
  }

  @Test
  void charsCountCodePointsNotUtf16Units() {
    Map<String, Object> t = tagger.tag(conv(Message.user("👋👋"), Message.assistant("ok")));
    assertThat(t.get("chars")).isEqualTo(4);
  }

  @Test
  void emptyReplyInTheAxolotlFixtureIsAnEmptyTurn() {
    List<QualitySample> s =
        Fixtures.samples(Format.SHAREGPT, "sft/axolotl_sharegpt_conversation_missingturns.json");
    assertThat(s).hasSize(1);
    assertThat(tagger.tag(s.get(0)).get("empty_turns")).isEqualTo(1);
    List<QualitySample> full =
        Fixtures.samples(Format.SHAREGPT, "sft/axolotl_sharegpt_conversation.json");
    assertThat(tagger.tag(full.get(0)).get("empty_turns")).isEqualTo(0);
  }

  @Test
  void consecutiveAssistantTurnsInHhRlhfAreNonAlternating() {
    List<QualitySample> hh =
        Fixtures.samples(Format.HH_RLHF, "preference/hh_rlhf_harmless_base_test.jsonl");
    long nonAlternating =
        hh.stream().filter(s -> Boolean.TRUE.equals(tagger.tag(s).get("non_alternating"))).count();
    // SCHEMAS.md: l.379 and l.895 hold consecutive Assistant turns.
    assertThat(hh.stream().filter(s -> s.id().endsWith(":379") || s.id().endsWith(":895")))
        .allSatisfy(s -> assertThat(tagger.tag(s).get("non_alternating")).isEqualTo(true));
    assertThat(nonAlternating).isGreaterThanOrEqualTo(2).isLessThan(hh.size() / 10);
  }

  @Test
  void toolCallsAndResultsDoNotBreakAlternation() {
    List<QualitySample> glaive =
        Fixtures.samples(Format.SHAREGPT, "sft/llamafactory_glaive_toolcall_en_demo_sharegpt.json");
    assertThat(glaive).hasSizeGreaterThan(100);
    assertThat(glaive)
        .allSatisfy(s -> assertThat(tagger.tag(s).get("non_alternating")).isEqualTo(false));
  }

  @Test
  @SuppressWarnings("unchecked")
  void truncationSignals() {
    QualitySample length =
        new QualitySample(
            "r",
            QualitySample.Kind.CONVERSATION,
            List.of(
                new QualitySample.Turn("user", "Tell me a story", null),
                new QualitySample.Turn("assistant", "Once upon a time.", null)),
            List.of(),
            null,
            "length",
            Map.of(),
            Map.of());
    assertThat(tagger.tag(length).get("truncation")).isEqualTo(List.of("finish_reason_length"));

    Map<String, Object> fence =
        tagger.tag(conv(Message.user("code?"), Message.assistant("Here:\n```python\nprint(1)\n")));
    assertThat(fence.get("truncated")).isEqualTo(true);
    assertThat((List<Object>) fence.get("truncation")).contains("unbalanced_code_fence");

    Map<String, Object> mid =
        tagger.tag(
            conv(
                Message.user("Explain"),
                Message.assistant("The reason this happens is that the server closes the")));
    assertThat((List<Object>) mid.get("truncation")).containsExactly("ends_mid_sentence");

    Map<String, Object> list =
        tagger.tag(conv(Message.user("List"), Message.assistant("Options:\n- apples and pears")));
    assertThat(list.get("truncated")).isEqualTo(false);
    Map<String, Object> closed =
        tagger.tag(conv(Message.user("x"), Message.assistant("```\nok\n```\nDone, as requested.")));
    assertThat(closed.get("truncated")).isEqualTo(false);
  }

  @Test
  void unknownEncodingIsAConfigurationError() {
    assertThat(ShapeTagger.withEncoding("o200k_base").encodingName()).isEqualTo("o200k_base");
    assertThatThrownBy(() -> ShapeTagger.withEncoding("gpt2-bytes"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("gpt2-bytes");
  }
}
