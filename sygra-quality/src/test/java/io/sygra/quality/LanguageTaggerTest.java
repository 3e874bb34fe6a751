package io.sygra.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sygra.core.ConfigurationException;
import io.sygra.schema.OasstReader;
import io.sygra.schema.OasstTree;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanguageTaggerTest {
  private static final LanguageTagger TAGGER = LanguageTagger.create();

  private static QualitySample declared(String lang, String user, String assistant) {
    return new QualitySample(
        "r",
        QualitySample.Kind.CONVERSATION,
        List.of(
            new QualitySample.Turn("user", user, null),
            new QualitySample.Turn("assistant", assistant, null)),
        List.of(),
        lang,
        null,
        Map.of(),
        Map.of());
  }

  @Test
  void chineseTextDeclaredEnglishIsAMismatch() {
    Map<String, Object> t =
        TAGGER.tag(declared("en", "请用简单的语言解释一下光合作用是如何进行的。", "光合作用是植物利用阳光、水和二氧化碳制造葡萄糖并释放氧气的过程。"));
    assertThat(t.get("detected")).isEqualTo("zh");
    assertThat(t.get("declared")).isEqualTo("en");
    assertThat(t.get("mismatch")).isEqualTo(true);
    assertThat(t.get("mismatched_turns")).isEqualTo(List.of(0, 1));
  }

  @Test
  void englishDeclaredEnglishMatches() {
    Map<String, Object> t =
        TAGGER.tag(
            declared(
                "en-US",
                "How do plants turn sunlight into food?",
                "Plants use photosynthesis: chlorophyll captures light energy and turns water"
                    + " and carbon dioxide into glucose and oxygen."));
    assertThat(t.get("detected")).isEqualTo("en");
    assertThat(t.get("mismatch")).isEqualTo(false);
    assertThat((Double) t.get("confidence")).isGreaterThan(0.5);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> turns = (List<Map<String, Object>>) t.get("turns");
    assertThat(turns).hasSize(2).allSatisfy(x -> assertThat(x.get("lang")).isEqualTo("en"));
  }

  @Test
  void codeBlocksDoNotDecideTheLanguage() {
    Map<String, Object> t =
        TAGGER.tag(
            declared(
                "de",
                "Wie kehre ich in Python eine Liste um? Ich verstehe die Dokumentation nicht.",
                "Du kannst die Liste mit einer eingebauten Methode umkehren:\n```python\n"
                    + "numbers = [1, 2, 3]\nnumbers.reverse()\nprint(numbers)\n```\n"
                    + "Die Methode verändert die Liste direkt."));
    assertThat(t.get("detected")).isEqualTo("de");
    assertThat(t.get("mismatch")).isEqualTo(false);
  }

  @Test
  void veryShortTurnsAreNotJudged() {
    Map<String, Object> t = TAGGER.tag(declared("en", "Hola!!", "¡Hola! ¿Qué tal?"));
    assertThat(t.get("mismatch")).isEqualTo(false);
  }

  @Test
  void mislabelledOasstMessagesAreFlagged() {
    // SCHEMAS.md 1.6: F l.765 is German text tagged "en" (an orphan row, so read it bare).
    List<QualitySample> samples = new ArrayList<>();
    try (OasstReader r =
        OasstReader.open(
            Fixtures.file("oasst/oasst1_validation_en_messages_flat.jsonl"),
            OasstReader.Grouping.STREAMING,
            x -> {})) {
      while (r.hasNext()) {
        OasstTree tree = r.next();
        for (var m : tree.messages()) {
          samples.add(
              new QualitySample(
                  m.messageId(),
                  QualitySample.Kind.CONVERSATION,
                  List.of(new QualitySample.Turn("user", m.text(), m.lang())),
                  List.of(),
                  null,
                  null,
                  Map.of(),
                  Map.of()));
        }
      }
    }
    // The orphan plus the first 150 messages keep the test quick; all are tagged "en".
    List<QualitySample> subset = new ArrayList<>(samples.subList(0, 150));
    samples.stream().filter(s -> s.id().startsWith("56f4d9ec")).forEach(subset::add);
    assertThat(subset).hasSize(151);
    List<String> flagged = new ArrayList<>();
    for (QualitySample s : subset) {
      if (Boolean.TRUE.equals(TAGGER.tag(s).get("mismatch"))) {
        flagged.add(s.id());
      }
    }
    assertThat(flagged).anyMatch(id -> id.startsWith("56f4d9ec"));
    // Every message is tagged "en"; nearly all really are English.
    assertThat(flagged.size()).isLessThan(subset.size() / 20);
  }

  @Test
  void languageSubsetIsValidated() {
    assertThat(
            LanguageTagger.builder()
                .languages(List.of("en", "fr"))
                .build()
                .detect("Bonjour" + " tout le monde, comment allez-vous aujourd'hui ?")
                .get("lang"))
        .isEqualTo("fr");
    assertThatThrownBy(() -> LanguageTagger.builder().languages(List.of("en", "xx")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'xx'");
    assertThatThrownBy(() -> LanguageTagger.builder().languages(List.of("en")))
        .isInstanceOf(ConfigurationException.class);
  }

  @Test
  void declaredTagsAreComparedByPrimarySubtag() {
    assertThat(LanguageTagger.sameLanguage("pt_BR", "pt")).isTrue();
    assertThat(LanguageTagger.sameLanguage("no", "nb")).isTrue();
    assertThat(LanguageTagger.sameLanguage("en", "de")).isFalse();
  }
}
