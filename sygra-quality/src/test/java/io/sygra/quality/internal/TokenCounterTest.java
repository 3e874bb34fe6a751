package io.sygra.quality.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cached, chunked count must equal the tokenizer's count of the whole text, always. */
class TokenCounterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Every text field of the OASST messages fixture: real prose, code, lists, many languages. */
  private static List<String> fixtureTexts() throws Exception {
    Path file =
        Path.of(System.getProperty("sygra.fixtures", "../../shared/fixtures"))
            .resolve("oasst/oasst1_validation_en_messages_flat.jsonl");
    List<String> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode n = JSON.readTree(line);
        JsonNode text = n.has("text") ? n.get("text") : n.get("content");
        if (text != null && text.isTextual()) {
          out.add(text.asText());
        }
      }
    }
    return out;
  }

  /** Random strings over the characters that decide chunk boundaries. */
  private static List<String> adversarialTexts() {
    String[] pieces = {
      " ", "  ", "\n", "\n\n", "\t", "\r\n", "a", "Z", "é", "ß", "日本", "🙂", "1", "42", "'s", "'ll",
      ".", ",", "!?", "```", "--", "word", "Word", " the", "x1y2", "\u00a0", "\u200b", "(", ")",
      "{", "}", "<think>", "    ", "\u0301", "ﬁ", "１２", "ا", "ñ", "-", "_", "/", "\\", "\"", "#"
    };
    SplittableRandom rnd = new SplittableRandom(7);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(1, 60);
      for (int j = 0; j < n; j++) {
        sb.append(pieces[rnd.nextInt(pieces.length)]);
      }
      out.add(sb.toString());
    }
    out.add("");
    out.add(" ".repeat(300));
    out.add("a".repeat(5000));
    out.add("word ".repeat(2000));
    return out;
  }

  @ParameterizedTest
  @EnumSource(
      value = EncodingType.class,
      names = {"CL100K_BASE", "O200K_BASE", "P50K_BASE", "R50K_BASE"})
  void countsEqualTheTokenizerOnFixtureAndAdversarialText(EncodingType type) throws Exception {
    Encoding reference = Encodings.newDefaultEncodingRegistry().getEncoding(type);
    TokenCounter counter = TokenCounter.of(type);
    List<String> texts = new ArrayList<>(fixtureTexts());
    assertThat(texts).hasSizeGreaterThan(100);
    texts.addAll(adversarialTexts());
    // twice: the second pass is served mostly from the cache
    for (int pass = 0; pass < 2; pass++) {
      for (String t : texts) {
        assertThat(counter.count(t))
            .as("%s tokens of %s", type, t.length() > 80 ? t.substring(0, 80) + "..." : t)
            .isEqualTo(reference.countTokens(t));
      }
    }
  }
}
