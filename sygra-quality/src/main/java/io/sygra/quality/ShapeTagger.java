package io.sygra.quality;

import com.knuddels.jtokkit.api.EncodingType;
import io.sygra.core.ConfigurationException;
import io.sygra.quality.internal.TokenCounter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tags the shape of a record ({@code quality.heuristic.shape}):
 *
 * <ul>
 *   <li>{@code turns}, {@code chars} (code points), {@code tokens} (a real BPE tokenizer,
 *       cl100k_base by default), {@code prompt_tokens} (system, user and tool turns), {@code
 *       response_tokens} (assistant turns), {@code response_turns};
 *   <li>{@code empty_turns}: turns that are empty or whitespace only;
 *   <li>{@code non_alternating}: two user turns, or two assistant turns, in a row (system turns
 *       ignored; tool results belong to the assistant turn that called the tool);
 *   <li>{@code truncated} with {@code truncation} reasons: {@code finish_reason_length}, {@code
 *       unbalanced_code_fence} (an odd number of {@code ```} fences in a response), {@code
 *       ends_mid_sentence} (the last response ends in a prose line without closing punctuation).
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ShapeTagger implements QualityTagger {
  private final EncodingType encodingType;
  private final TokenCounter tokens;

  private ShapeTagger(EncodingType type) {
    this.encodingType = type;
    this.tokens = TokenCounter.of(type);
  }

  /** A shape tagger counting tokens with cl100k_base (GPT-3.5/4 family). */
  public static ShapeTagger create() {
    return new ShapeTagger(EncodingType.CL100K_BASE);
  }

  /**
   * A shape tagger counting tokens with the named jtokkit encoding: {@code cl100k_base}, {@code
   * o200k_base}, {@code p50k_base}, {@code p50k_edit} or {@code r50k_base}.
   *
   * @throws ConfigurationException naming the field when the encoding is unknown
   */
  public static ShapeTagger withEncoding(String name) {
    Objects.requireNonNull(name, "encoding");
    return new ShapeTagger(
        EncodingType.fromName(name)
            .orElseThrow(
                () ->
                    new ConfigurationException(
                        "encoding",
                        "unknown tokenizer encoding '"
                            + name
                            + "' (expected cl100k_base, o200k_base, p50k_base, p50k_edit or"
                            + " r50k_base)")));
  }

  /** The tokenizer encoding's name. */
  public String encodingName() {
    return encodingType.getName();
  }

  @Override
  public String name() {
    return "shape";
  }

  @Override
  public Map<String, Object> tag(QualitySample sample) {
    int chars = 0;
    int promptTokens = 0;
    int responseTokens = 0;
    int emptyTurns = 0;
    int responseTurns = 0;
    boolean nonAlternating = false;
    String previous = null;
    List<String> truncation = new ArrayList<>(2);
    boolean unbalanced = false;
    String lastRawRole = null;
    for (QualitySample.Turn t : sample.turns()) {
      String c = t.content();
      chars += c.codePointCount(0, c.length());
      int tokens = this.tokens.count(c);
      if (c.isBlank()) {
        emptyTurns++;
      }
      String role = t.role();
      if (t.isAssistant()) {
        responseTokens += tokens;
        responseTurns++;
        if (!unbalanced && (countFences(c) & 1) == 1) {
          unbalanced = true;
        }
      } else {
        promptTokens += tokens;
      }
      if (t.role().equals("tool")) {
        previous = "assistant";
      } else if (!role.equals("system")) {
        // assistant → tool → assistant is one assistant turn calling tools: not a repeat.
        if (role.equals(previous) && !(t.isAssistant() && "tool".equals(lastRawRole))) {
          nonAlternating = true;
        }
        previous = role;
      }
      lastRawRole = t.role();
    }
    if ("length".equals(sample.finishReason())) {
      truncation.add("finish_reason_length");
    }
    if (unbalanced) {
      truncation.add("unbalanced_code_fence");
    }
    QualitySample.Turn last = sample.lastResponse();
    if (last != null && endsMidSentence(last.content())) {
      truncation.add("ends_mid_sentence");
    }
    Map<String, Object> m = new LinkedHashMap<>(16);
    m.put("turns", sample.turns().size());
    m.put("response_turns", responseTurns);
    m.put("chars", chars);
    m.put("tokens", promptTokens + responseTokens);
    m.put("prompt_tokens", promptTokens);
    m.put("response_tokens", responseTokens);
    m.put("empty_turns", emptyTurns);
    m.put("non_alternating", nonAlternating);
    m.put("truncated", !truncation.isEmpty());
    if (!truncation.isEmpty()) {
      m.put("truncation", truncation);
    }
    return m;
  }

  /** Counts lines that open or close a fenced code block ({@code ```} or {@code ~~~}). */
  static int countFences(String s) {
    int n = 0;
    int i = 0;
    int len = s.length();
    while (i < len) {
      int lineEnd = s.indexOf('\n', i);
      if (lineEnd < 0) {
        lineEnd = len;
      }
      int j = i;
      while (j < lineEnd && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
        j++;
      }
      if (j + 3 <= lineEnd
          && ((s.charAt(j) == '`' && s.charAt(j + 1) == '`' && s.charAt(j + 2) == '`')
              || (s.charAt(j) == '~' && s.charAt(j + 1) == '~' && s.charAt(j + 2) == '~'))) {
        n++;
      }
      i = lineEnd + 1;
    }
    return n;
  }

  /**
   * True when the text ends inside a sentence: its last line is prose (not a list item, heading,
   * table row, code or URL) of at least four words whose final character is a letter, a digit or a
   * comma. Conservative on purpose: lists and headings often end without punctuation.
   */
  static boolean endsMidSentence(String text) {
    String s = text.stripTrailing();
    if (s.isEmpty()) {
      return false;
    }
    int nl = s.lastIndexOf('\n');
    String line = s.substring(nl + 1).strip();
    if (line.isEmpty()
        || line.startsWith("-")
        || line.startsWith("*")
        || line.startsWith("#")
        || line.startsWith("|")
        || line.startsWith(">")
        || line.startsWith("```")
        || isNumberedItem(line)
        || line.contains("://")) {
      return false;
    }
    int last = line.codePointBefore(line.length());
    if (!(Character.isLetterOrDigit(last) || last == ',')) {
      return false;
    }
    if (Character.isIdeographic(last)) {
      return false; // CJK sentences often end without Latin punctuation in chat data
    }
    int words = 0;
    boolean in = false;
    for (int i = 0; i < line.length(); i++) {
      boolean ws = Character.isWhitespace(line.charAt(i));
      if (!ws && !in) {
        words++;
      }
      in = !ws;
    }
    return words >= 4;
  }

  /** True for a numbered list item: digits, then {@code .} or {@code )}. */
  private static boolean isNumberedItem(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) >= '0' && line.charAt(i) <= '9') {
      i++;
    }
    return i > 0 && i < line.length() && (line.charAt(i) == '.' || line.charAt(i) == ')');
  }
}
