package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.sygra.schema.Conversation;
import io.sygra.schema.Format;
import io.sygra.schema.Message;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lexical diversity, repetition and refusal taggers. */
class TextTaggersTest {
  private static final String PROSE =
      "Photosynthesis is the process by which green plants, algae and some bacteria convert"
          + " light energy into chemical energy. Chlorophyll in the chloroplasts absorbs mostly"
          + " blue and red light, and the plant uses that energy to split water molecules. The"
          + " oxygen is released into the air, while hydrogen and carbon dioxide are combined"
          + " into glucose during the Calvin cycle. Glucose then fuels growth, is stored as"
          + " starch, or becomes cellulose for cell walls.";

  private static QualitySample reply(String text) {
    return QualitySample.of(
        "r", Conversation.of(Message.user("Explain."), Message.assistant(text)));
  }

  @Test
  void mtldSeparatesProseFromRepetition() {
    LexicalDiversityTagger d = LexicalDiversityTagger.create();
    Map<String, Object> prose = d.tag(reply(PROSE));
    Map<String, Object> loop = d.tag(reply("I like it a lot. ".repeat(30)));
    assertThat((Double) prose.get("mtld")).isGreaterThan(50);
    assertThat((Double) loop.get("mtld")).isLessThan(10);
    assertThat((Double) prose.get("ttr")).isGreaterThan((Double) loop.get("ttr"));
    assertThat(d.tag(reply("Too short for MTLD.")).containsKey("mtld")).isFalse();
  }

  @Test
  void gopherRepetitionStatistics() {
    RepetitionTagger r = RepetitionTagger.create();
    Map<String, Object> prose = r.tag(reply(PROSE));
    assertThat((Double) prose.get("top_2gram_char_fraction")).isLessThan(0.1);
    assertThat((Double) prose.get("duplicate_5gram_char_fraction")).isEqualTo(0.0);

    String lines = "Buy now!\nBest price!\nBuy now!\nBuy now!\nLimited offer\nBuy now!";
    Map<String, Object> spam = r.tag(reply(lines));
    assertThat(spam.get("duplicate_line_fraction")).isEqualTo(0.5);
    assertThat((Double) spam.get("duplicate_line_char_fraction")).isBetween(0.4, 0.5);

    Map<String, Object> loop = r.tag(reply("the cat sat on the mat and ".repeat(12)));
    assertThat((Double) loop.get("top_2gram_char_fraction")).isGreaterThan(0.2);
    assertThat((Double) loop.get("duplicate_10gram_char_fraction")).isGreaterThan(0.9);
  }

  @Test
  void refusalsAndBoilerplate() {
    RefusalTagger t = RefusalTagger.create();
    Map<String, Object> refusal = t.tag(reply("I'm sorry, but I can't help with that request."));
    assertThat(refusal.get("refusal")).isEqualTo(true);
    assertThat((List<?>) refusal.get("refusal_phrases")).isNotEmpty();
    Map<String, Object> boiler =
        t.tag(reply("As an AI language model, I don't have personal opinions, but here goes."));
    assertThat(boiler.get("boilerplate")).isEqualTo(true);
    assertThat(boiler.get("refusal")).isEqualTo(false);
    Map<String, Object> fine = t.tag(reply("I can't stress enough how useful unit tests are."));
    assertThat(fine.get("refusal")).isEqualTo(false);
    assertThat(fine.get("boilerplate")).isEqualTo(false);
    // Only assistant turns count: a user asking "as an AI..." is not boilerplate.
    QualitySample userOnly =
        QualitySample.of(
            "r",
            Conversation.of(
                Message.user("As an AI language model, what do you think?"),
                Message.assistant("I think it depends.")));
    assertThat(t.tag(userOnly).get("boilerplate")).isEqualTo(false);
    RefusalTagger custom = RefusalTagger.builder().refusal("\\bje ne peux pas\\b").build();
    assertThat(custom.tag(reply("Désolé, je ne peux pas faire cela.")).get("refusal"))
        .isEqualTo(true);
  }

  @Test
  void refusalsAreFoundInTheHarmlessnessData() {
    RefusalTagger t = RefusalTagger.create();
    List<QualitySample> hh =
        Fixtures.samples(Format.HH_RLHF, "preference/hh_rlhf_harmless_base_test.jsonl");
    long refusals = hh.stream().filter(s -> Boolean.TRUE.equals(t.tag(s).get("refusal"))).count();
    assertThat(refusals).isGreaterThan(5).isLessThan(hh.size() / 4);
  }
}
