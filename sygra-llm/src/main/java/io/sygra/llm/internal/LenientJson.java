package io.sygra.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls a JSON value out of a model's reply the way a patient reader would: drops a leading {@code
 * <think>...</think>} block, prefers the content of a Markdown code fence, and otherwise takes the
 * first balanced JSON object or array, tolerating trailing commas, comments, single quotes and raw
 * newlines inside strings. Failures say what was wrong and where, in words a model can act on.
 */
public final class LenientJson {
  private LenientJson() {}

  /** A reply from which no JSON value could be read. */
  public static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;

    Problem(String message) {
      super(message, null, false, false);
    }
  }

  /** What root the caller expects; guides which bracket starts the value. */
  public enum Root {
    OBJECT,
    ARRAY,
    ANY
  }

  private static final ObjectMapper LENIENT =
      JsonMapper.builder()
          .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
          .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
          .enable(JsonReadFeature.ALLOW_SINGLE_QUOTES)
          .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Pattern FENCE =
      Pattern.compile("```[ \\t]*([A-Za-z0-9_-]*)[ \\t]*\\r?\\n(.*?)```", Pattern.DOTALL);

  /**
   * Reads the JSON value in {@code text}.
   *
   * @throws Problem when the reply is empty, has an unterminated think block, holds no JSON of the
   *     expected kind, or the JSON is malformed
   */
  public static Object read(String text, Root root) throws Problem {
    if (text == null || text.isBlank()) {
      throw new Problem("the reply is empty; expected " + expected(root));
    }
    String t = stripThink(text.strip());
    Matcher fence = FENCE.matcher(t);
    while (fence.find()) {
      String body = fence.group(2).strip();
      if (!body.isEmpty() && (body.charAt(0) == '{' || body.charAt(0) == '[')) {
        t = body;
        break;
      }
    }
    Object direct = tryParse(t);
    if (direct != null && fits(direct, root)) {
      return direct;
    }
    int start = firstStart(t, root);
    if (start < 0) {
      throw new Problem("no " + expected(root).substring(2) + " was found in the reply");
    }
    int end = balancedEnd(t, start);
    if (end < 0) {
      throw new Problem(
          "the JSON "
              + (t.charAt(start) == '{' ? "object" : "array")
              + " starting at character "
              + start
              + " is never closed (the reply may have been cut off)");
    }
    String candidate = t.substring(start, end + 1);
    try {
      return LENIENT.readValue(candidate, Object.class);
    } catch (JsonProcessingException e) {
      throw new Problem("the JSON is malformed: " + describe(e));
    }
  }

  private static String stripThink(String t) throws Problem {
    if (!t.startsWith("<think>")) {
      return t;
    }
    int close = t.indexOf("</think>");
    if (close < 0) {
      // What follows an unclosed block is reasoning, not an answer: never mine it for JSON.
      throw new Problem(
          "the reply is an unterminated <think> block with no answer after it (the model may have"
              + " run out of tokens while reasoning)");
    }
    return t.substring(close + "</think>".length()).strip();
  }

  private static Object tryParse(String t) {
    if (t.isEmpty()) {
      return null;
    }
    char c = t.charAt(0);
    if (c != '{' && c != '[') {
      return null;
    }
    try {
      return LENIENT.readValue(t, Object.class);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  private static boolean fits(Object v, Root root) {
    return switch (root) {
      case OBJECT -> v instanceof java.util.Map<?, ?>;
      case ARRAY -> v instanceof java.util.List<?>;
      case ANY -> true;
    };
  }

  private static int firstStart(String t, Root root) {
    int brace = t.indexOf('{');
    int bracket = t.indexOf('[');
    return switch (root) {
      case OBJECT -> brace;
      case ARRAY -> bracket;
      case ANY -> brace < 0 ? bracket : bracket < 0 ? brace : Math.min(brace, bracket);
    };
  }

  /** Index of the bracket closing the one at {@code start}, honouring strings; -1 if none. */
  static int balancedEnd(String t, int start) {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = start; i < t.length(); i++) {
      char c = t.charAt(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          depth--;
          if (depth == 0) {
            return i;
          }
        }
        default -> {}
      }
    }
    return -1;
  }

  private static String expected(Root root) {
    return switch (root) {
      case OBJECT -> "a JSON object";
      case ARRAY -> "a JSON array";
      case ANY -> "a JSON value";
    };
  }

  private static String describe(JsonProcessingException e) {
    String msg = e.getOriginalMessage();
    int nl = msg == null ? -1 : msg.indexOf('\n');
    if (nl > 0) {
      msg = msg.substring(0, nl);
    }
    if (e.getLocation() != null) {
      msg +=
          " (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")";
    }
    return msg;
  }
}
